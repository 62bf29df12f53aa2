import PorticoModel
import PorticoTemplates
import Testing

/// `$input`, `$context`, `$stageVariables` and the overrides.
struct InputVariableTests {
    let context = MappingTemplateContext(
        body: #"{"name": "Ann", "pets": [{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, {"id": 3, "type": "fish", "price": 0.99}], "nested": {"a": {"b": true}}}"#,
        pathParameters: [("petId", "7")],
        queryStringParameters: [("name", "query-name"), ("limit", "10")],
        headers: [("Accept", "application/json"), ("name", "header-name")],
        context: ["requestId": .string("req-1"), "identity": .object(["sourceIp": .string("192.0.2.1")])],
        stageVariables: ["env": "prod", "url": "example.com"])

    @Test func body() throws {
        #expect(try render("$input.body", MappingTemplateContext(body: "raw text")) == "raw text")
        #expect(try render("$input.body") == "{}")
    }

    @Test func jsonReturnsJSONText() throws {
        #expect(try render("$input.json('$.name')", context) == #""Ann""#)
        #expect(try render("$input.json('$.pets[0]')", context) == #"{"id":1,"type":"dog","price":249.99}"#)
        #expect(try render("$input.json('$.nested')", context) == #"{"a":{"b":true}}"#)
        #expect(try render("$input.json('$.pets[*].id')", context) == "[1,2,3]")
        #expect(try render("$input.json('$.missing')", context) == "")
    }

    @Test func pathReturnsObjects() throws {
        #expect(try render("$input.path('$.name')", context) == "Ann")
        #expect(try render("$input.path('$.pets').size()", context) == "3")
        #expect(try render("$input.path('$.pets')[1].type", context) == "cat")
        #expect(try render("$input.path('$.nested')", context) == "{a={b=true}}")
        #expect(try render("#foreach($p in $input.path('$.pets'))$p.type #end", context) == "dog cat fish ")
        #expect(try render("$input.path(\"$.pets[?(@.price < 10)].type\")", context) == #"["fish"]"#)
    }

    /// API Gateway's JSON arrays are json-smart `JSONArray`s, printed as JSON; objects are maps,
    /// printed the Java way (LocalStack's parity tests against AWS show the same).
    @Test func jsonArraysPrintAsJSON() throws {
        let body = MappingTemplateContext(body: #"{"a": 1, "b": [{"c": 5}, "x"], "s": ["p", "q"]}"#)
        #expect(try render("$input.path('$')", body) == #"{a=1, b=[{"c":5},"x"], s=["p","q"]}"#)
        #expect(try render("$input.path('$.s')", body) == #"["p","q"]"#)
        #expect(try render("#set($l = ['p', 'q'])$l", body) == "[p, q]")
    }

    @Test func emptyBodyReadsAsEmptyObject() throws {
        #expect(try render("$input.json('$')") == "{}")
        #expect(try render("$input.path('$').size()") == "0")
    }

    @Test func invalidBodyIsARenderError() throws {
        #expect(try renderError("$input.json('$')", MappingTemplateContext(body: "{not json"))?.code == .invalidJSON)
        // A template that never reads the body does not parse it.
        #expect(try render("ok", MappingTemplateContext(body: "{not json")) == "ok")
    }

    @Test func invalidPathIsARenderError() throws {
        #expect(try renderError("$input.json('name')", context)?.code == .invalidJSONPath)
    }

    @Test func paramsByNameSearchesPathThenQueryThenHeader() throws {
        #expect(try render("$input.params('petId') $input.params('name') $input.params('Accept')", context) == "7 query-name application/json")
        #expect(try render("[$input.params('absent')]", context) == "[]")
        // AWS processes header names case-sensitively.
        #expect(try render("[$input.params('accept')]", context) == "[]")
    }

    @Test func allParams() throws {
        #expect(try render("$input.params().keySet()", context) == "[path, querystring, header]")
        #expect(try render("$input.params().querystring.limit $input.params().get('header').get('Accept')", context) == "10 application/json")
        #expect(try render("$input.params().path", context) == "{petId=7}")
    }

    @Test func contextAndStageVariables() throws {
        #expect(try render("$context.requestId $context.identity.sourceIp $context.missing", context) == "req-1 192.0.2.1 $context.missing")
        #expect(try render("$stageVariables.env ${stageVariables['url']} $stageVariables['env']", context) == "prod example.com prod")
    }

    @Test func overridesAreReadBack() throws {
        let template = try MappingTemplate(source: """
            #set($context.requestOverride.header.h3 = "$input.params('name')-x")
            #set($context.requestOverride.querystring.q = 'v')
            #set($context.requestOverride.path.p = 'pv')
            #set($context.responseOverride.status = 400)
            #set($context.responseOverride.header.rh = 'r')
            body
            """)
        let result = try template.render(context: context)
        #expect(result.body == "body")
        #expect(result.requestOverride == .init(header: ["h3": "query-name-x"], path: ["p": "pv"], querystring: ["q": "v"]))
        #expect(result.responseOverride.header == ["rh": "r"])
        #expect(result.statusOverride == 400)
    }

    @Test func noOverridesWhenContextUnused() throws {
        let result = try MappingTemplate(source: "x").render(context: context)
        #expect(result.requestOverride.isEmpty && result.responseOverride.isEmpty && result.statusOverride == nil)
    }

    @Test func templatesSayWhetherTheyReadTheBody() throws {
        #expect(try MappingTemplate(source: "$input.params('a') $input.params().header $context.requestId").readsBody == false)
        #expect(try MappingTemplate(source: "$input.body").readsBody)
        #expect(try MappingTemplate(source: "#if(true)$input.json('$')#end").readsBody)
        #expect(try MappingTemplate(source: "#set($x = \"$input.path('$.a')\")").readsBody)
        #expect(try MappingTemplate(source: "#set($i = $input)$i.body").readsBody)
    }

    /// One compiled template serves every event loop at once: renders share nothing mutable.
    @Test func concurrentRendersAgree() async throws {
        let template = try MappingTemplate(source: "#set($l = [])#foreach($p in $input.path('$.pets'))#set($x = $l.add($p.type.replaceAll('[aeiou]', '')))#end$l")
        let context = self.context
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<64 {
                group.addTask { try template.render(context: context).body }
            }
            var outputs: [String] = []
            for try await output in group { outputs.append(output) }
            return outputs
        }
        #expect(outputs.count == 64)
        #expect(Set(outputs) == ["[dg, ct, fsh]"])
    }

    @Test func renderingTwiceGivesTheSameResult() throws {
        let template = try MappingTemplate(source: "#set($l = [])#set($x = $l.add(1))$l $input.json('$.name')")
        #expect(try template.render(context: context).body == #"[1] "Ann""#)
        #expect(try template.render(context: context).body == #"[1] "Ann""#)
    }
}
