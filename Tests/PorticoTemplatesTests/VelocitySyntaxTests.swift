import Foundation
import PorticoModel
import PorticoTemplates
import Testing

/// The Velocity language itself: references, directives, comments, escaping, whitespace.
struct VelocitySyntaxTests {
    @Test func plainTextPassesThrough() throws {
        #expect(try render("hello, world") == "hello, world")
        #expect(try render("") == "")
        #expect(try render("price: 5$ #1 done") == "price: 5$ #1 done")
    }

    @Test func undefinedReferencesRenderAsWritten() throws {
        #expect(try render("a $foo b") == "a $foo b")
        #expect(try render("$foo.bar") == "$foo.bar")
        #expect(try render("${foo}") == "${foo}")
        #expect(try render("$foo.bar()") == "$foo.bar()")
        #expect(try render("[$!foo]") == "[]")
        #expect(try render("[$!{foo}]") == "[]")
    }

    @Test func referencesAndBraces() throws {
        #expect(try render("#set($a = 'x')$a ${a}y $!a") == "x xy x")
        #expect(try render("#set($m = {'k': {'n': 3}})$m.k.n ${m.k.n}") == "3 3")
        #expect(try render("#set($a = 'x')$a.") == "x.")
    }

    @Test func hyphenIsPartOfAnIdentifierAsInVelocity17() throws {
        #expect(try render("#set($a = 1)$a-1") == "$a-1")
        #expect(try render("#set($a = 1)${a}-1") == "1-1")
    }

    @Test func indexNotation() throws {
        #expect(try render("#set($l = ['a', 'b'])$l[1] $l[5]") == "b $l[5]")
        #expect(try render("#set($m = {'k': 'v'})$m['k']") == "v")
        #expect(try render("#set($l = ['a'])$l[") == "[a][")
    }

    @Test func setDirective() throws {
        #expect(try render("#set($a = 1)#set($b = $a + 1)$b") == "2")
        // A null value leaves the variable unchanged (Velocity 1.7's default).
        #expect(try render("#set($a = 1)#set($a = $nothing)$a") == "1")
        #expect(try render("#set($m = {})#set($m.key = 'v')$m.key") == "v")
        #expect(try render("#set($l = [1, 2])#set($l[0] = 9)$l") == "[9, 2]")
    }

    @Test func setGobblesIndentationAndLineBreak() throws {
        #expect(try render("a\n  #set($x = 1)\nb$x") == "a\nb1")
        #expect(try render("#set($x = 1)\n$x") == "1")
        #expect(try render("#if(true)\n    #set($x = 2)\n$x#end") == "2")
        #expect(try render("#set($a = 'a')$a  #set($x = 1)$x") == "a  1")
    }

    @Test func ifElseIfElse() throws {
        let template = "#if($n == 1)one#elseif($n == 2)two#{else}many#end"
        #expect(try render("#set($n = 1)" + template) == "one")
        #expect(try render("#set($n = 2)" + template) == "two")
        #expect(try render("#set($n = 3)" + template) == "many")
        #expect(try render("#if($missing)yes#{else}no#end") == "no")
        // Velocity 1.7: an empty string is true.
        #expect(try render("#if('')yes#end") == "yes")
        #expect(try render("#if(false)yes#end") == "")
    }

    @Test func directivesAloneOnALineLeaveNoEmptyLine() throws {
        #expect(try render("#if(true)\na\n#end\nb") == "a\nb")
        #expect(try render("#foreach($i in [1..2])\n$i\n#end\n") == "1\n2\n")
    }

    @Test func foreachAndLoopVariables() throws {
        #expect(try render("#foreach($i in [1, 2, 3])$i#if($foreach.hasNext),#end#end") == "1,2,3")
        #expect(try render("#foreach($i in ['a', 'b'])$foreach.index:$foreach.count:$velocityCount #end") == "0:1:1 1:2:2 ")
        #expect(try render("#foreach($i in [1..3])#if($foreach.first)F#end#if($foreach.last)L#end$i#end") == "F12L3")
        #expect(try render("#foreach($v in {'a': 1, 'b': 2})$v#end") == "12")
        #expect(try render("#foreach($x in $nothing)never#end") == "")
        #expect(try render("#foreach($i in [1..2])#foreach($j in [1..2])$foreach.parent.count$j #end#end") == "11 12 21 22 ")
    }

    @Test func loopVariableIsRestoredAfterTheLoop() throws {
        #expect(try render("#set($i = 'before')#foreach($i in [1])$i#end $i") == "1 before")
    }

    @Test func breakAndStop() throws {
        #expect(try render("#foreach($i in [1..5])#if($i == 3)#break#end$i#end.") == "12.")
        #expect(try render("a#stop b") == "a")
        #expect(try render("#foreach($i in [1..5])$i#if($i == 2)#stop#end#end after") == "12")
    }

    @Test func comments() throws {
        #expect(try render("a## comment\nb") == "ab")
        #expect(try render("a#* block\ncomment *#b") == "ab")
    }

    @Test func unparsedContent() throws {
        #expect(try render("#[[ $notParsed #if ]]#") == " $notParsed #if ")
    }

    @Test func escaping() throws {
        #expect(try render("#set($a = 'x')\\$a") == "$a")
        #expect(try render("\\$undefined") == "\\$undefined")
        #expect(try render("#set($a = 'x')\\\\$a") == "\\x")
        #expect(try render("\\#if(true)") == "#if(true)")
    }

    @Test func stringLiterals() throws {
        #expect(try render("#set($n = 'w')#set($s = \"hello $n\")$s") == "hello w")
        #expect(try render("#set($n = 'w')#set($s = 'hello $n')$s") == "hello $n")
        #expect(try render("#set($s = \"a\\'b\")$s") == "a\\'b")
    }

    @Test func defineRendersItsBlockWhereReferenced() throws {
        let template = """
            #define( $loop )
            {#foreach($k in $map.keySet())"$k":"$map.get($k)"#if($foreach.hasNext),#end#end}
            #end
            #set($map = {'a': 1})
            first: $loop
            #set($map = {'b': 2, 'c': 3})
            second: $loop
            """
        #expect(try render(template) == "first: {\"a\":\"1\"}\n\nsecond: {\"b\":\"2\",\"c\":\"3\"}\n")
    }

    @Test func macros() throws {
        #expect(try render("#macro(greet $who)Hello, $who!#end#greet('Ann') #greet(\"Bo\")") == "Hello, Ann! Hello, Bo!")
        #expect(try render("#macro(pair $a, $b)$a=$b#end#pair('x' 1)|#pair('y', 2)") == "x=1|y=2")
        // Defined after use, as Velocity resolves inline macros when it renders.
        #expect(try render("#later()#macro(later)L#end") == "L")
        // Parameters are restored after the call; other #set variables stay set.
        #expect(try render("#set($a = 'outer')#macro(m $a)#set($b = $a)#end#m('inner')$a $b") == "outer inner")
        // A missing argument leaves its parameter without a value.
        #expect(try render("#macro(m $a $b)[$a][$b]#end#m(1)") == "[1][$b]")
        // No such macro, or no parentheses: text.
        #expect(try render("#nope($x) #fff #anchor") == "#nope($x) #fff #anchor")
    }

    @Test func recursiveMacroStops() throws {
        #expect(try renderError("#macro(r)x#r()#end#r()")?.code == .nestingTooDeep)
    }

    /// The Serverless Framework's default Lambda-integration request template, as LocalStack's
    /// issue #5587 quotes it: `#macro` with `$map`, `keySet()`, `escapeJavaScript(...).replaceAll`.
    @Test func serverlessFrameworkTemplate() throws {
        let template = """
            #set( $body = $input.json("$") )

            #macro( loop $map )
            {
                #foreach($key in $map.keySet())
                    #set( $k = $util.escapeJavaScript($key) )
                    #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll("\\\\'", "'") )
                    "$k": "$v"
                    #if( $foreach.hasNext ) , #end
                #end
            }
            #end

            {
                "body": $body,
                "headers": #loop($input.params().header),
                "query": #loop($input.params().querystring),
                "stageVariables": #loop($stageVariables)
            }
            """
        let context = MappingTemplateContext(
            body: #"{"a": 1}"#, queryStringParameters: [("q", "it's")], headers: [("Accept", "*/*"), ("X-Id", "7")],
            stageVariables: ["env": "prod"])
        let output = try render(template, context)
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(output.utf8))
        #expect(parsed == .object([
            "body": .object(["a": .integer(1)]),
            "headers": .object(["Accept": .string("*/*"), "X-Id": .string("7")]),
            "query": .object(["q": .string("it's")]),
            "stageVariables": .object(["env": .string("prod")]),
        ]))
    }

    @Test func stopInsideADefineStopsTheTemplate() throws {
        #expect(try render("#define($halt)x#stop#end a $halt b") == " a x")
    }

    @Test func selfReferencingDefineStops() throws {
        #expect(try renderError("#define($a)x$a#end$a")?.code == .nestingTooDeep)
    }

    @Test func unknownDirectiveIsText() throws {
        #expect(try render("color: #fff; #foo(bar)") == "color: #fff; #foo(bar)")
    }

    @Test func lists_maps_ranges() throws {
        #expect(try render("#set($l = [1, 'two', [3]])$l") == "[1, two, [3]]")
        #expect(try render("#set($m = {'a': 1, 'b': 'x'})$m") == "{a=1, b=x}")
        #expect(try render("$([3..1])") == "$([3..1])")
        #expect(try render("#set($r = [3..1])$r") == "[3, 2, 1]")
        #expect(try render("#set($lo = 2)#set($r = [$lo..4])$r") == "[2, 3, 4]")
    }
}
