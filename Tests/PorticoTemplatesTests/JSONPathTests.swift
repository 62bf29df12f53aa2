import PorticoTemplates
import Testing

/// The JSONPath dialect of `$input.json` / `$input.path` (Jayway JsonPath as API Gateway uses it).
struct JSONPathTests {
    let store = MappingTemplateContext(body: """
        {"store": {"book": [
            {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
            {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99}],
          "bicycle": {"color": "red", "price": 19.95}},
         "weird key": {"a.b": 1}}
        """)

    private func json(_ path: String) throws -> String {
        // Paths with single quotes go in a double-quoted literal, as a template would write them.
        path.contains("'") ? try render("$input.json(\"\(path)\")", store) : try render("$input.json('\(path)')", store)
    }

    @Test func definitePaths() throws {
        #expect(try json("$.store.bicycle.color") == #""red""#)
        #expect(try json("$['store']['bicycle']['price']") == "19.95")
        #expect(try json(#"$["weird key"]["a.b"]"#) == "1")
        #expect(try json("$.store.book[0].author") == #""Nigel Rees""#)
        #expect(try json("$.store.book[-1].title") == #""Moby Dick""#)
    }

    @Test func indefinitePaths() throws {
        #expect(try json("$.store.book[*].price") == "[8.95,12.99,8.99]")
        #expect(try json("$..author") == #"["Nigel Rees","Evelyn Waugh","Herman Melville"]"#)
        #expect(try json("$.store.*.color") == #"["red"]"#)
        #expect(try json("$.store.book[0,2].price") == "[8.95,8.99]")
        #expect(try json("$.store.book[:2].price") == "[8.95,12.99]")
        #expect(try json("$.store.book[1:].price") == "[12.99,8.99]")
        #expect(try json("$..price") == "[8.95,12.99,8.99,19.95]")
    }

    @Test func filters() throws {
        #expect(try json("$.store.book[?(@.price < 10)].title") == #"["Sayings of the Century","Moby Dick"]"#)
        #expect(try json("$.store.book[?(@.isbn)].title") == #"["Moby Dick"]"#)
        #expect(try render(#"$input.json("$.store.book[?(@.category == 'fiction' && @.price > 10)].title")"#, store) == #"["Sword of Honour"]"#)
        #expect(try json("$.store.book[?(@.price > 100)]") == "[]")
    }

    @Test func badPaths() throws {
        #expect(try renderError("$input.json('store')", store)?.code == .invalidJSONPath)
        #expect(try renderError("$input.json('$.a[')", store)?.code == .invalidJSONPath)
        #expect(try renderError("$input.json('$.a[?(@.b <)]')", store)?.code == .invalidJSONPath)
    }
}
