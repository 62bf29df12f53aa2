import PorticoTemplates
import Testing

/// AWS's "Integration passthrough behaviors" tables, row by row.
struct RequestTemplateSelectorTests {
    enum Outcome: Equatable { case transform, passThrough, unsupported }

    private func outcome(_ templates: [String], _ behavior: RequestTemplateSelector.PassthroughBehavior, _ contentType: String?) throws -> Outcome {
        var map: [String: MappingTemplate] = [:]
        for contentType in templates { map[contentType] = try MappingTemplate(source: "x") }
        switch RequestTemplateSelector(templates: map, passthroughBehavior: behavior).select(contentType: contentType) {
        case .transform: return .transform
        case .passThrough: return .passThrough
        case .unsupportedMediaType: return .unsupported
        }
    }

    @Test(arguments: RequestTemplateSelector.PassthroughBehavior.allCases)
    func jsonTemplateDefined(_ behavior: RequestTemplateSelector.PassthroughBehavior) throws {
        // Example 1: one template, for application/json.
        #expect(try outcome(["application/json"], behavior, nil) == .transform)
        #expect(try outcome(["application/json"], behavior, "application/json") == .transform)
        #expect(try outcome(["application/json"], behavior, "application/xml") == (behavior == .whenNoMatch ? .passThrough : .unsupported))
    }

    @Test(arguments: RequestTemplateSelector.PassthroughBehavior.allCases)
    func xmlTemplateDefined(_ behavior: RequestTemplateSelector.PassthroughBehavior) throws {
        // Example 2: one template, for application/xml.
        let other: Outcome = behavior == .whenNoMatch ? .passThrough : .unsupported
        #expect(try outcome(["application/xml"], behavior, nil) == other)
        #expect(try outcome(["application/xml"], behavior, "application/json") == other)
        #expect(try outcome(["application/xml"], behavior, "application/xml") == .transform)
    }

    @Test(arguments: RequestTemplateSelector.PassthroughBehavior.allCases)
    func noTemplates(_ behavior: RequestTemplateSelector.PassthroughBehavior) throws {
        #expect(try outcome([], behavior, "application/json") == (behavior == .never ? .unsupported : .passThrough))
    }

    @Test func mediaTypeParametersAndCaseDoNotMatter() throws {
        #expect(try outcome(["application/json"], .never, "Application/JSON; charset=UTF-8") == .transform)
    }
}
