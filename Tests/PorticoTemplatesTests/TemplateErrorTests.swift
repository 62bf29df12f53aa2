import PorticoTemplates
import Testing

/// Templates that do not parse, and renders that hit a limit: errors, never crashes or hangs.
struct TemplateErrorTests {
    @Test func unterminatedIfReportsItsPosition() {
        let error = syntaxError("line one\n  #if($a)\nnever closed")
        #expect(error?.line == 2)
        #expect(error?.column == 3)
        #expect(error?.message.contains("#end") == true)
    }

    @Test func badMacros() {
        #expect(syntaxError("#macro(m $a)x")?.message.contains("#macro") == true)
        #expect(syntaxError("#macro($a)x#end") != nil)
        #expect(syntaxError("#macro(m a)x#end") != nil)
    }

    @Test func unterminatedForeach() {
        #expect(syntaxError("#foreach($i in [1])x")?.message.contains("#foreach") == true)
    }

    @Test func strayEndElseAndElseIf() {
        #expect(syntaxError("a #end")?.message.contains("#end") == true)
        #expect(syntaxError("#else")?.message.contains("#else") == true)
        #expect(syntaxError("#elseif(true)")?.message.contains("#elseif") == true)
    }

    @Test func badDirectiveSyntax() {
        #expect(syntaxError("#set $a = 1") != nil)
        #expect(syntaxError("#set($a 1)") != nil)
        #expect(syntaxError("#if(1 +)x#end") != nil)
        #expect(syntaxError("#foreach($i of [1])#end") != nil)
        #expect(syntaxError("$a.b(1, ") != nil)
        #expect(syntaxError("#set($a = 'unterminated)") != nil)
        #expect(syntaxError("#* never closed") != nil)
        #expect(syntaxError("#[[ never closed") != nil)
    }

    @Test func unsupportedDirectives() {
        #expect(syntaxError("#include('x')")?.message.contains("not supported") == true)
        #expect(syntaxError("#parse('x')") != nil)
        #expect(syntaxError("#evaluate('x')") != nil)
    }

    @Test func positionsCountCharactersNotBytes() {
        let error = syntaxError("é€😀 #if(true)")
        #expect(error?.line == 1)
        #expect(error?.column == 5)
    }

    @Test func templateSizeLimit() {
        #expect(throws: TemplateSyntaxError.self) {
            try MappingTemplate(source: String(repeating: "x", count: 101), limits: .init(maxTemplateBytes: 100))
        }
    }

    @Test func deepNestingIsRefusedAtCompileTime() {
        let parens = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(syntaxError("#set($a = \(parens))") != nil)
        let ifs = String(repeating: "#if(true)", count: 10_000) + String(repeating: "#end", count: 10_000)
        #expect(syntaxError(ifs)?.message.contains("nested") == true)
        let nots = String(repeating: "!", count: 10_000)
        #expect(syntaxError("#if(\(nots)true)#end") != nil)
    }

    @Test func nestingJustUnderTheLimitCompilesAndRenders() throws {
        let depth = MappingTemplateLimits().maxNestingDepth - 2
        let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try render("#set($a = \(parens))$a") == "1")
        let ifs = String(repeating: "#if(true)", count: depth) + "x" + String(repeating: "#end", count: depth)
        #expect(try render(ifs) == "x")
        let lists = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try render("#set($l = \(lists))$l.size()") == "1")
        let json = String(repeating: "[", count: 250) + String(repeating: "]", count: 250)
        #expect(try render("#set($j = $input.json('$'))$j.length()", MappingTemplateContext(body: json)) == "500")
    }

    @Test func deeplyNestedJSONBodyIsAnError() throws {
        let body = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(try renderError("$input.json('$')", MappingTemplateContext(body: body))?.code == .invalidJSON)
    }

    @Test func hugeLoopsStop() throws {
        let limits = MappingTemplateLimits(maxForeachIterations: 100, maxTotalIterations: 1_000)
        #expect(try renderError("#foreach($i in [1..101])#end", limits: limits)?.code == .loopLimit)
        #expect(try render("#foreach($i in [1..100])#end ok", limits: limits) == " ok")
        let nested = "#foreach($a in [1..50])#foreach($b in [1..50])#end#end"
        #expect(try renderError(nested, limits: limits)?.code == .loopLimit)
        // A range too large to build is refused before it is built.
        #expect(try renderError("#set($r = [1..2000000000])", limits: limits)?.code == .loopLimit)
    }

    @Test func loopsOverAGrowingListEnd() throws {
        // Java would throw ConcurrentModificationException; the loop sees the list as it was.
        #expect(try render("#set($l = [1])#foreach($i in $l)#set($x = $l.add($i))#end$l.size()") == "2")
    }

    @Test func outputLimit() throws {
        let limits = MappingTemplateLimits(maxOutputBytes: 1_000)
        #expect(try renderError("#foreach($i in [1..500])abc#end", limits: limits)?.code == .outputLimit)
    }

    @Test func exponentialGrowthStops() throws {
        let limits = MappingTemplateLimits(maxOutputBytes: 100_000)
        // Strings doubling by concatenation, interpolation, concat() and replace().
        #expect(try renderError("#set($s = 'ab')#foreach($i in [1..64])#set($s = $s + $s)#end", limits: limits)?.code == .outputLimit)
        #expect(try renderError("#set($s = 'ab')#foreach($i in [1..64])#set($s = \"$s$s\")#end", limits: limits)?.code == .outputLimit)
        #expect(try renderError("#set($s = 'ab')#foreach($i in [1..64])#set($s = $s.concat($s))#end", limits: limits)?.code == .outputLimit)
        #expect(try renderError("#set($s = 'aaaa')#foreach($i in [1..64])#set($s = $s.replace('a', $s))#end", limits: limits)?.code == .outputLimit)
        #expect(try renderError("#set($s = 'aaaa')#foreach($i in [1..64])#set($s = $s.replaceAll('a', $s))#end", limits: limits)?.code == .outputLimit)
        // A list holding itself twice, 60 levels down, prints 2^60 elements.
        #expect(try renderError("#set($l = [1])#foreach($i in [1..60])#set($l = [$l, $l])#end$l", limits: limits)?.code == .outputLimit)
        #expect(try renderError("#set($l = [1])#foreach($i in [1..60])#set($l = [$l, $l])#end$l.toString()", limits: limits)?.code == .outputLimit)
        // A list doubling itself.
        #expect(try renderError("#set($l = [1])#foreach($i in [1..64])#set($ok = $l.addAll($l))#end")?.code == .loopLimit)
    }

    @Test func selfContainingCollectionsDoNotRecurseForever() throws {
        #expect(try render("#set($m = {})#set($x = $m.put('self', $m))$m") == "{self=(this Map)}")
        let cycle = "#set($a = {})#set($b = {'a': $a})#set($x = $a.put('b', $b))$a"
        #expect(try renderError(cycle)?.code == .nestingTooDeep)
    }
}
