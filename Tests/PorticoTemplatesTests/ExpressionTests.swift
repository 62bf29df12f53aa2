import PorticoTemplates
import Testing

/// Arithmetic, comparison and logic with Velocity 1.7's semantics.
struct ExpressionTests {
    @Test func integerArithmetic() throws {
        #expect(try render("#set($x = 7 + 3 * 2 - 1)$x") == "12")
        #expect(try render("#set($x = 7 / 2)$x #set($y = -7 / 2)$y") == "3 -3")
        #expect(try render("#set($x = 7 % 3)$x") == "1")
        #expect(try render("#set($x = (1 + 2) * 3)$x") == "9")
        #expect(try render("#set($x = -5)$x") == "-5")
    }

    @Test func floatingPointArithmetic() throws {
        #expect(try render("#set($x = 1.5 + 1)$x") == "2.5")
        #expect(try render("#set($x = 7.0 / 2)$x") == "3.5")
        #expect(try render("#set($x = 2.0 * 2)$x") == "4.0")
    }

    @Test func divisionByZeroGivesNull() throws {
        // Velocity logs the error and returns null; #set then leaves $x undefined.
        #expect(try render("#set($x = 5 / 0)$x") == "$x")
        #expect(try render("#set($x = 5 % 0)$!x") == "")
    }

    @Test func overflowWidens() throws {
        #expect(try render("#set($x = 9223372036854775807 + 1)$x") == "9.223372036854776E18")
    }

    @Test func stringConcatenation() throws {
        #expect(try render("#set($x = 'a' + 1)$x") == "a1")
        #expect(try render("#set($x = 1 + 'a')$x") == "1a")
    }

    @Test func comparisons() throws {
        #expect(try render("#if(1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3)ok#end") == "ok")
        #expect(try render("#if(1 lt 2 and 2 le 2 and 3 gt 2 and 3 ge 3)ok#end") == "ok")
        #expect(try render("#if(1 == 1.0)eq#end") == "eq")
        #expect(try render("#if('a' == 'a' && 'a' != 'b')eq#end") == "eq")
        #expect(try render("#if('a' eq 'a' and 'a' ne 'b')eq#end") == "eq")
        // Different kinds compare by toString().
        #expect(try render("#if(1 == '1')eq#end") == "eq")
        #expect(try render("#if($nothing == $alsoNothing)eq#end") == "eq")
        #expect(try render("#if('a' < 'b')lt#{else}no#end") == "no")
    }

    @Test func logic() throws {
        #expect(try render("#if(!false)a#end#if(not false)b#end#if(false || true)c#end#if(false or false)d#end") == "abc")
        #expect(try render("#if(!$nothing)empty#end") == "empty")
    }

    @Test func precedence() throws {
        #expect(try render("#if(1 + 2 * 3 == 7 && !(1 > 2))ok#end") == "ok")
    }
}
