import PorticoTemplates

/// Compiles and renders in one step, for tests.
func render(_ source: String, _ context: MappingTemplateContext = .init(), limits: MappingTemplateLimits = .init()) throws -> String {
    try MappingTemplate(source: source, limits: limits).render(context: context).body
}

func syntaxError(_ source: String) -> TemplateSyntaxError? {
    do {
        _ = try MappingTemplate(source: source)
        return nil
    } catch {
        return error
    }
}

func renderError(_ source: String, _ context: MappingTemplateContext = .init(), limits: MappingTemplateLimits = .init()) throws -> TemplateRenderError? {
    let template = try MappingTemplate(source: source, limits: limits)
    do {
        _ = try template.render(context: context)
        return nil
    } catch {
        return error
    }
}
