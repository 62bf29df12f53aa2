import Testing

@testable import PorticoRuntime

/// The byte searches the request path uses, against `Character`-based searches.
struct SubstringUTF8Tests {
    @Test(arguments: ["/items/7?x=1", "?", "no-question-mark", "", "/é/ü?ä=ö", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p?q"])
    func firstIndexOfAByteIsTheCharactersIndex(_ text: String) {
        // As a slice in the middle of a longer string, so that its indices do not start at 0.
        let whole = "GET " + text + " HTTP/1.1"
        let slice = whole.dropFirst(4).dropLast(9)
        #expect(slice == text[...])
        #expect(slice.firstIndex(ofByte: UInt8(ascii: "?")) == slice.firstIndex(of: "?"))
        #expect(slice.firstIndex(ofByte: UInt8(ascii: "/")) == slice.firstIndex(of: "/"))
        #expect(slice.firstIndex(ofByte: UInt8(ascii: "#")) == nil)
    }
}
