import PorticoTemplates
import Testing

/// `$util`'s six functions.
struct UtilFunctionTests {
    @Test func escapeJavaScript() throws {
        let body = MappingTemplateContext(body: #"it's "quoted" / back\slash"#)
        #expect(try render("$util.escapeJavaScript($input.body)", body) == #"it\'s \"quoted\" \/ back\\slash"#)
        #expect(try render("#set($s = \"a\nb\tc\")$util.escapeJavaScript($s)") == "a\\nb\\tc")
        #expect(try render("$util.escapeJavaScript('é😀')") == "\\u00E9\\uD83D\\uDE00")
    }

    @Test func escapeJavaScriptThenUnescapeSingleQuotesAsAWSRecommends() throws {
        #expect(try render(#"#set($d = "it's")$util.escapeJavaScript($d).replaceAll("\\'","'")"#) == "it's")
    }

    @Test func urlEncodeAndDecode() throws {
        #expect(try render("$util.urlEncode('a b&c=d/é*-_.~')") == "a+b%26c%3Dd%2F%C3%A9*-_.%7E")
        #expect(try render("$util.urlDecode('a+b%26c%3Dd%2F%C3%A9')") == "a b&c=d/é")
        #expect(try renderError("$util.urlDecode('%zz')")?.code == .invalidArgument)
    }

    @Test func base64() throws {
        #expect(try render("$util.base64Encode('hello world')") == "aGVsbG8gd29ybGQ=")
        #expect(try render("$util.base64Decode('aGVsbG8gd29ybGQ=')") == "hello world")
        #expect(try renderError("$util.base64Decode('***')")?.code == .invalidArgument)
    }

    @Test func parseJson() throws {
        #expect(try render(#"#set($o = $util.parseJson('{"a": [1, 2]}'))$o.a[1] $o.a.size()"#) == "2 2")
        #expect(try renderError("$util.parseJson('{oops')")?.code == .invalidJSON)
    }

    @Test func nullArgumentRendersTheReference() throws {
        #expect(try render("$util.escapeJavaScript($nothing)") == "$util.escapeJavaScript($nothing)")
    }
}
