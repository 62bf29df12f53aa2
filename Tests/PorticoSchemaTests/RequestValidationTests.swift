import PorticoModel
import PorticoSchema
import Testing

/// The request validation a REST method performs, with AWS's messages (AWS_FACTS 5).
struct RequestValidationTests {
    static let petStore = RestModel(
        id: "m1", name: "PetStoreModel",
        schema: ##"{"type": "object", "required": ["price", "type"], "properties": {"type": {"enum": ["dog", "cat", "fish"]}, "price": {"type": "number", "minimum": 25, "maximum": 500}}}"##,
        contentType: "application/json")
    static let models = ModelSchemas(models: RestModel.defaults(ids: (empty: "e", error: "r")) + [petStore], restApiId: "api1")

    private func method(parameters: [String: Bool]? = nil, models: [String: String]? = nil) -> RestMethod {
        var method = RestMethod(httpMethod: "POST", authorizationType: "NONE")
        method.requestParameters = parameters
        method.requestModels = models
        return method
    }

    private func check(
        _ validation: RequestValidation, headers: [String: String] = [:], query: [String: String] = [:], path: [String: String] = [:],
        contentType: String? = "application/json", body: String = ""
    ) -> RequestValidation.Failure? {
        validation.check(
            header: { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }, queryString: { query[$0] },
            path: { path[$0] }, contentType: contentType, body: Array(body.utf8))
    }

    private let both = RequestValidator(id: "v", name: "all", validateRequestBody: true, validateRequestParameters: true)

    @Test func missingParametersAreListedHeaderPathQueryString() {
        let validation = RequestValidation(
            method: method(parameters: [
                "method.request.querystring.qs1": true, "method.request.header.x-header-param": true, "method.request.path.issuer": true,
                "method.request.querystring.optional": false,
            ]), validator: both, models: Self.models)
        let failure = check(validation, body: "{}")
        #expect(failure?.message == "Missing required request parameters: [x-header-param, issuer, qs1]")
        #expect(failure?.responseType == .badRequestParameters)
        #expect(check(validation, query: ["qs1": "a"], path: ["issuer": "b"])?.message == "Missing required request parameters: [x-header-param]")
        #expect(check(validation, headers: ["X-Header-Param": "1"], query: ["qs1": "a"], path: ["issuer": "b"]) == nil)
    }

    @Test func blankParametersCountAsMissing() {
        let validation = RequestValidation(method: method(parameters: ["method.request.querystring.q1": true]), validator: both, models: Self.models)
        #expect(check(validation, query: ["q1": ""])?.message == "Missing required request parameters: [q1]")
        #expect(check(validation, query: ["q1": "cat"]) == nil)
    }

    @Test func parametersAreNotCheckedWithoutTheFlag() {
        let bodyOnly = RequestValidator(id: "b", name: "body", validateRequestBody: true)
        let validation = RequestValidation(method: method(parameters: ["method.request.header.h": true]), validator: bodyOnly, models: Self.models)
        #expect(check(validation, body: "{}") == nil)
        #expect(!RequestValidation(method: method(parameters: ["method.request.header.h": true]), validator: nil, models: Self.models).isActive)
    }

    @Test func bodyIsCheckedAgainstTheModelForItsContentType() {
        let validation = RequestValidation(method: method(models: ["application/json": "PetStoreModel"]), validator: both, models: Self.models)
        #expect(check(validation, body: ##"{"type": "dog", "price": 249.99}"##) == nil)
        let failure = check(validation, body: ##"{"type": "bird", "price": 249.99}"##)
        #expect(failure?.message == "Invalid request body")
        #expect(failure?.responseType == .badRequestBody)
        #expect(failure?.validationErrorString.contains("bird") == true)
        #expect(check(validation, contentType: "application/json; charset=utf-8", body: ##"{"type": "bird"}"##)?.message == "Invalid request body")
        // No Content-Type: taken as application/json.
        #expect(check(validation, contentType: nil, body: ##"{"type": "bird"}"##)?.message == "Invalid request body")
        // No model for the content type: not validated.
        #expect(check(validation, contentType: "application/xml", body: "<pet/>") == nil)
    }

    @Test func defaultModelCoversOtherContentTypes() {
        let validation = RequestValidation(method: method(models: ["$default": "PetStoreModel"]), validator: both, models: Self.models)
        #expect(check(validation, contentType: "text/plain", body: ##"{"type": "bird"}"##)?.message == "Invalid request body")
        #expect(check(validation, contentType: "text/plain", body: ##"{"type": "cat", "price": 30}"##) == nil)
    }

    @Test func bodyThatIsNotJSONIsInvalid() {
        let validation = RequestValidation(method: method(models: ["application/json": "PetStoreModel"]), validator: both, models: Self.models)
        #expect(check(validation, body: "type=dog")?.message == "Invalid request body")
    }

    @Test func emptyBodyIsValidatedAsAnEmptyObject() {
        let empty = RequestValidation(method: method(models: ["application/json": "Empty"]), validator: both, models: Self.models)
        #expect(check(empty, body: "") == nil)
        let pets = RequestValidation(method: method(models: ["application/json": "PetStoreModel"]), validator: both, models: Self.models)
        #expect(check(pets, body: "")?.message == "Invalid request body")
    }

    @Test func methodWithoutModelsUsesEmpty() {
        let validation = RequestValidation(method: method(), validator: both, models: Self.models)
        #expect(check(validation, body: "{}") == nil)
        #expect(check(validation, body: "[1]")?.message == "Invalid request body")
    }

    @Test func parametersAreReportedBeforeTheBody() {
        let validation = RequestValidation(
            method: method(parameters: ["method.request.header.h": true], models: ["application/json": "PetStoreModel"]), validator: both,
            models: Self.models)
        #expect(check(validation, body: "nope")?.message == "Missing required request parameters: [h]")
    }

    @Test func parsedBodyVariantAgrees() {
        let validation = RequestValidation(method: method(models: ["application/json": "PetStoreModel"]), validator: both, models: Self.models)
        let result = validation.check(header: { _ in nil }, queryString: { _ in nil }, path: { _ in nil }, contentType: nil, parsedBody: .object(["type": .string("cat"), "price": .integer(30)]))
        #expect(result == nil)
    }
}
