import PorticoModel
import PorticoSchema
import Testing

/// Prints how many validations a second a typical model allows. Not timed: nothing is asserted
/// about speed (debug builds and shared cores make timings noise); run it in release to measure:
/// `swift test -c release --filter PorticoSchemaTests.ThroughputTests`.
struct ThroughputTests {
    static let order = #"""
        {"$schema": "http://json-schema.org/draft-04/schema#", "title": "Order", "type": "object",
         "required": ["id", "customer", "items"], "additionalProperties": false,
         "properties": {
           "id": {"type": "string", "pattern": "^ord-[0-9a-f]{8}$"},
           "customer": {"type": "object", "required": ["email"], "properties": {
             "email": {"type": "string", "format": "email"}, "name": {"type": "string", "minLength": 1, "maxLength": 80}}},
           "items": {"type": "array", "minItems": 1, "maxItems": 50, "items": {"$ref": "#/definitions/item"}},
           "note": {"type": "string", "maxLength": 500}},
         "definitions": {"item": {"type": "object", "required": ["sku", "quantity", "price"], "properties": {
           "sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1},
           "price": {"type": "number", "minimum": 0, "exclusiveMinimum": true}, "kind": {"enum": ["dog", "cat", "fish"]}}}}}
        """#
    static let body = #"""
        {"id": "ord-0123abcd", "customer": {"email": "a@example.com", "name": "Ann"},
         "items": [{"sku": "A1", "quantity": 2, "price": 9.5, "kind": "dog"}, {"sku": "B2", "quantity": 1, "price": 20}],
         "note": "leave at the door"}
        """#

    @Test func printsValidationsPerSecond() throws {
        let schema = try JSONSchema(compilingText: Self.order)
        let value = try #require(JSONSchema.parse(Array(Self.body.utf8)))
        #expect(schema.isValid(value))
        let iterations = 20_000
        let clock = ContinuousClock()
        var valid = 0
        let elapsed = clock.measure {
            for _ in 0..<iterations where schema.isValid(value) { valid += 1 }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("PorticoSchema throughput: \(Int(Double(iterations) / seconds)) validations/s (isValid, Order model, \(valid) valid)")

        // The request path: parse the body bytes, then validate.
        let bytes = Array(Self.body.utf8)
        let withParse = clock.measure {
            for _ in 0..<iterations where JSONSchema.parse(bytes).map(schema.isValid) == true { valid += 1 }
        }
        let parseSeconds = Double(withParse.components.seconds) + Double(withParse.components.attoseconds) / 1e18
        print("PorticoSchema throughput: \(Int(Double(iterations) / parseSeconds)) parses+validations/s (\(bytes.count)-byte body)")
    }
}
