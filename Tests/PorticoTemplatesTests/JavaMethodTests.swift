import PorticoTemplates
import Testing

/// Java methods on strings, lists, maps and numbers, as templates call them.
struct JavaMethodTests {
    @Test func stringMethods() throws {
        let s = "#set($s = ' Hello, World ')"
        #expect(try render(s + "$s.length()") == "14")
        #expect(try render(s + "$s.trim()") == "Hello, World")
        #expect(try render(s + "$s.trim().toLowerCase()|$s.trim().toUpperCase()") == "hello, world|HELLO, WORLD")
        #expect(try render(s + "$s.substring(1, 6)|$s.substring(8)") == "Hello|World ")
        #expect(try render(s + "$s.contains('World') $s.startsWith(' H') $s.endsWith('x')") == "true true false")
        #expect(try render(s + "$s.indexOf('o') $s.indexOf('o', 6) $s.indexOf('z') $s.lastIndexOf('o')") == "5 9 -1 9")
        #expect(try render(s + "$s.replace('l', 'L')") == " HeLLo, WorLd ")
        #expect(try render(s + "$s.isEmpty() $s.empty ''.isEmpty()") == "false false ''.isEmpty()")
        #expect(try render("#set($e = '')$e.isEmpty()") == "true")
        #expect(try render(s + "$s.charAt(1)") == "H")
        #expect(try render("#set($a = 'abc')$a.equals('abc') $a.equalsIgnoreCase('ABC') $a.concat('d')") == "true true abcd")
    }

    @Test func regexMethods() throws {
        #expect(try render("#set($s = 'a1b22c')$s.replaceAll('[0-9]+', '#')") == "a#b#c")
        #expect(try render("#set($s = 'a1b22c')$s.replaceFirst('[0-9]+', '')") == "ab22c")
        #expect(try render("#set($s = 'John Smith')$s.replaceAll('(\\w+) (\\w+)', '$2, $1')") == "Smith, John")
        #expect(try render("#set($s = 'abc123')$s.matches('[a-z]+[0-9]+') $s.matches('[a-z]+')") == "true false")
        #expect(try render("#set($s = 'a,b,,c,,')$s.split(',')") == "[a, b, , c]")
        #expect(try render("#set($s = 'a,b,c')$s.split(',').size()") == "3")
        #expect(try render("#set($p = '[0-9]')#set($s = 'a1b2')$s.replaceAll($p, '')") == "ab")
    }

    @Test func javaIndexesCountUTF16Units() throws {
        #expect(try render("#set($s = 'a😀b')$s.length() $s.substring(3)") == "4 b")
    }

    @Test func listMethods() throws {
        let l = "#set($l = ['a', 'b'])"
        #expect(try render(l + "$l.size() $l.get(1) $l.contains('a') $l.indexOf('b') $l.isEmpty()") == "2 b true 1 false")
        #expect(try render(l + "#set($ok = $l.add('c'))$l $ok") == "[a, b, c] true")
        #expect(try render(l + "$l.add('c')") == "true")
        #expect(try render(l + "#set($ignored = $l.remove(0))$l") == "[b]")
        #expect(try render(l + "#set($b = $l)#set($ignored = $b.add('z'))$l") == "[a, b, z]")
        #expect(try render(l + "$l.subList(0, 1)") == "[a]")
    }

    @Test func mapMethods() throws {
        let m = "#set($m = {'a': 1, 'b': 2})"
        #expect(try render(m + "$m.size() $m.get('b') $m.containsKey('a') $m.containsKey('z') $m.keySet() $m.values()") == "2 2 true false [a, b] [1, 2]")
        #expect(try render(m + "$m.put('c', 3)$m") == "$m.put('c', 3){a=1, b=2, c=3}")
        #expect(try render(m + "$m.put('a', 9) $m") == "1 {a=9, b=2}")
        #expect(try render(m + "$!m.remove('a')$m") == "1{b=2}")
        #expect(try render(m + "#foreach($e in $m.entrySet())$e.key=$e.getValue();#end") == "a=1;b=2;")
    }

    @Test func numberMethods() throws {
        #expect(try render("#set($n = 3.9)$n.intValue() $n.toString()") == "3 3.9")
        #expect(try render("#set($n = 3)$n.doubleValue()") == "3.0")
    }

    @Test func unknownMethodsRenderAsWritten() throws {
        #expect(try render("#set($s = 'x')$s.noSuchMethod()") == "$s.noSuchMethod()")
        #expect(try render("#set($s = 'x')$!s.noSuchMethod()") == "")
    }

    @Test func methodCallOnNullRendersAsWritten() throws {
        #expect(try render("$nothing.size()") == "$nothing.size()")
        #expect(try render("#set($m = {})$m.missing.toString()") == "$m.missing.toString()")
        #expect(try render("#if($nothing.size() > 0)yes#{else}no#end") == "no")
    }

    @Test func javaExceptionsAreRenderErrors() throws {
        #expect(try renderError("#set($s = 'abc')$s.substring(5)")?.code == .invalidArgument)
        #expect(try renderError("#set($l = [])$l.get(0)")?.code == .invalidArgument)
        #expect(try renderError("#set($p = '[')#set($s = 'x')$s.matches($p)")?.code == .invalidArgument)
    }
}
