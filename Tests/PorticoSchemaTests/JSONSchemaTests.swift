import PorticoModel
import PorticoSchema
import Testing

/// Compilation errors, failure reports and the limits that keep validation finite.
struct JSONSchemaTests {
    private func compile(_ text: String) throws -> JSONSchema { try JSONSchema(compilingText: text) }
    private func value(_ text: String) -> JSONValue { JSONSchema.parse(Array(text.utf8))! }

    @Test(arguments: [
        (##"{"type": "integr"}"##, "type", "#"),
        (##"{"properties": {"a": {"minLength": -1}}}"##, "minLength", "#/properties/a"),
        (##"{"items": [{"pattern": "("}]}"##, "pattern", "#/items/0"),
        (##"{"$ref": "#/definitions/missing"}"##, "$ref", "#"),
        (##"{"definitions": {"a~b": {"$ref": "#/definitions/a~0b"}}}"##, "$ref", "#/definitions/a~0b"),
        (##"{"properties": {"x": {"$ref": "http://example.com/other.json"}}}"##, "$ref", "#/properties/x"),
        (##"{"exclusiveMinimum": true}"##, "exclusiveMinimum", "#"),
        (##"{"multipleOf": 0}"##, "multipleOf", "#"),
        (##"{"additionalProperties": 3}"##, "additionalProperties", "#"),
        (##"{"properties": {"a": true}}"##, "", "#/properties/a"),
        (##"{"required": ["a", "a"]}"##, "required", "#"),
        (##"{"enum": []}"##, "enum", "#"),
    ])
    func badSchemasNameKeywordAndPointer(schema: String, keyword: String, pointer: String) throws {
        let error = #expect(throws: SchemaError.self) { try JSONSchema(compilingText: schema) }
        #expect(error?.keyword == keyword)
        #expect(error?.pointer == pointer)
    }

    @Test func selfReferencingRefChainIsRejected() {
        let error = #expect(throws: SchemaError.self) {
            try JSONSchema(compilingText: ##"{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}"##)
        }
        #expect(error?.reason.contains("cycle") == true)
    }

    @Test func missingModelIsNamed() {
        let error = #expect(throws: SchemaError.self) {
            try JSONSchema(compilingText: ##"{"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/Nope"}"##)
        }
        #expect(error?.reason.contains("Nope") == true)
    }

    @Test func failuresCarryPathsAndMessages() throws {
        let schema = try compile(
            ##"{"type": "object", "required": ["price", "type"], "additionalProperties": false, "properties": {"type": {"enum": ["dog", "cat"]}, "price": {"type": "number", "maximum": 500}, "tags": {"items": {"type": "string"}}}}"##)
        let failures = schema.validate(value(##"{"type": "bird", "price": 501, "tags": ["a", 3], "extra": 1}"##))
        let byKeyword = Dictionary(grouping: failures, by: \.keyword)
        #expect(byKeyword["enum"]?.first?.instancePath == "/type")
        #expect(byKeyword["enum"]?.first?.message == #"instance value ("bird") not found in enum (possible values: ["dog","cat"])"#)
        #expect(byKeyword["maximum"]?.first?.instancePath == "/price")
        #expect(byKeyword["maximum"]?.first?.schemaPath == "#/properties/price")
        #expect(byKeyword["type"]?.first?.instancePath == "/tags/1")
        #expect(byKeyword["additionalProperties"]?.first?.message.contains(##"["extra"]"##) == true)
        #expect(byKeyword["required"] == nil)
        #expect(schema.validate(value("{}")).first { $0.keyword == "required" }?.message == #"object has missing required properties (["price","type"])"#)
    }

    @Test func cyclicRefsOnDeepDataStopAtTheDepthLimit() throws {
        let schema = try JSONSchema(
            compiling: value(##"{"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#"}}]}"##), limits: .init(maxDepth: 50))
        var nested = JSONValue.integer(1)
        for _ in 0..<10 { nested = .array([nested]) }
        #expect(schema.isValid(nested))
        for _ in 0..<100 { nested = .array([nested]) }
        #expect(!schema.isValid(nested))
        #expect(!schema.validate(nested).isEmpty)
    }

    @Test func refThroughAllOfToItselfTerminates() throws {
        let schema = try compile(##"{"allOf": [{"$ref": "#"}]}"##)
        #expect(!schema.isValid(.integer(1)))
        #expect(schema.validate(.integer(1)).contains { $0.keyword == "$depth" })
    }

    @Test func modelSchemasResolveOnlyTheirOwnApi() {
        let models = ModelSchemas(
            models: [
                RestModel(id: "1", name: "A", schema: ##"{"$ref": "https://apigateway.amazonaws.com/restapis/other/models/B"}"##, contentType: "application/json"),
                RestModel(id: "2", name: "B", schema: ##"{"type": "string"}"##, contentType: "application/json"),
                RestModel(id: "3", name: "C", schema: ##"{"items": {"$ref": "https://apigateway.amazonaws.com/restapis/api1/models/B"}}"##, contentType: "application/json"),
                RestModel(id: "4", name: "D", schema: "{not json", contentType: "application/json"),
            ], restApiId: "api1")
        #expect(models["A"] == nil)
        #expect(models.errors["A"]?.keyword == "$ref")
        #expect(models["C"]?.isValid(.array([.string("x")])) == true)
        #expect(models["C"]?.isValid(.array([.integer(1)])) == false)
        #expect(models.errors["D"] != nil)
    }

    @Test func modelReferenceURLs() {
        #expect(ModelReference(url: "https://apigateway.amazonaws.com/restapis/abc123/models/Pet") == ModelReference(restApiId: "abc123", modelName: "Pet"))
        #expect(ModelReference(url: "https://apigateway.amazonaws.com/restapis/abc123/models/") == nil)
        #expect(ModelReference(url: "https://example.com/restapis/abc123/models/Pet") == nil)
    }

    @Test func schemasAreSharedAcrossTasks() async throws {
        let schema = try compile(##"{"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}, "s": {"pattern": "^a+$"}}}"##)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { _ in schema.isValid(.object(["n": .integer(Int64(index)), "s": .string("aaa")])) }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
    }
}
