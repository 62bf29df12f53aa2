import Foundation
import PorticoLambda
import Testing

/// The `functions:` section of Portico's config file.
struct DeclaredFunctionsTests {
    let base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    func parse(_ yaml: String) throws -> [FunctionConfiguration] {
        try DeclaredFunctions.parse(yaml: yaml, baseDirectory: base, region: "eu-west-1", accountId: "123456789012")
    }

    func error(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aCommandFunctionAndARuntimeFunction() throws {
        let functions = try parse(
            """
            functions:
              - name: hello
                command: ["./bootstrap", "--flag"]
                workingDirectory: Fixtures/provided
                environment: {GREETING: hi, COUNT: 3, DEBUG: true}
                timeout: 10
                concurrency: 2
              - name: py
                runtime: python3.12
                handler: handlers.echo
                codeDirectory: Fixtures/python
                memorySize: 256
              - name: split
                command: python3 -m http.server
            """)
        #expect(functions.count == 3)
        let hello = functions[0]
        #expect(hello.name == "hello")
        #expect(hello.arn == "arn:aws:lambda:eu-west-1:123456789012:function:hello")
        #expect(hello.command == ["./bootstrap", "--flag"])
        #expect(hello.codeDirectory == base + "/Fixtures/provided")
        #expect(hello.environment == ["GREETING": "hi", "COUNT": "3", "DEBUG": "true"])
        #expect(hello.timeoutSeconds == 10)
        #expect(hello.reservedConcurrency == 2)
        #expect(hello.version == "$LATEST")
        let py = functions[1]
        #expect(py.runtime == "python3.12")
        #expect(py.handler == "handlers.echo")
        #expect(py.command == nil)
        #expect(py.memorySizeMB == 256)
        #expect(py.timeoutSeconds == 3, "AWS's default timeout")
        #expect(py.reservedConcurrency == nil)
        #expect(functions[2].command == ["python3", "-m", "http.server"])
        #expect(functions[2].codeDirectory == base)
    }

    @Test func theRevisionFollowsTheDeclaration() throws {
        let one = try parse("functions: [{name: a, command: x, timeout: 3}]")[0].revision
        let same = try parse("functions: [{name: a, command: x, timeout: 3}]")[0].revision
        let other = try parse("functions: [{name: a, command: x, timeout: 4}]")[0].revision
        #expect(one == same)
        #expect(one != other)
    }

    @Test func aRoleByNameOrArnGivesTheProcessCredentials() throws {
        let functions = try parse(
            """
            functions:
              - {name: named, command: x, role: chat}
              - {name: arn, command: x, role: "arn:aws:iam::999999999999:role/team/other"}
              - {name: none, command: x}
            """)
        #expect(functions.map(\.role) == ["arn:aws:iam::123456789012:role/chat", "arn:aws:iam::999999999999:role/team/other", nil])
        // A role change is a new revision (the processes are retired and restarted with the new role's credentials).
        #expect(try parse("functions: [{name: a, command: x, role: one}]")[0].revision != parse("functions: [{name: a, command: x, role: two}]")[0].revision)
    }

    @Test func anEmptyFileDeclaresNothing() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("functions: []").isEmpty)
    }

    @Test func mistakesAreNamedPrecisely() {
        #expect(error("functions: [{name: a, command: x, timout: 3}]")?.contains("unknown key `timout`") == true)
        #expect(error("functions: [{command: x}]")?.contains("`name` is required") == true)
        #expect(error("functions: [{name: 'a b', command: x}]")?.contains("`name` is required") == true)
        #expect(error("functions: [{name: a}]")?.contains("give either `command` or `runtime`") == true)
        #expect(error("functions: [{name: a, runtime: python3.12}]")?.contains("needs a `handler`") == true)
        #expect(error("functions: [{name: a, runtime: nodejs20.x, handler: x}]")?.contains("not supported") == true)
        #expect(error("functions: [{name: a, command: x, timeout: 901}]")?.contains("`timeout` must be a whole number from 1 to 900") == true)
        #expect(error("functions: [{name: a, command: x, workingDirectory: /no/such/dir}]")?.contains("does not exist") == true)
        #expect(error("functions: [{name: a, command: x}, {name: a, command: y}]")?.contains("declared twice") == true)
        #expect(error("functions: {name: a}")?.contains("must be a list") == true)
        #expect(error("funcs: []")?.contains("unknown top-level key `funcs`") == true)
        #expect(error("functions: [")?.contains("not valid YAML") == true)
    }
}
