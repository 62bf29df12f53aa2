import PorticoModel
import Testing

/// WebSocket selection expressions as AWS describes them ("WebSocket selection expressions"):
/// `$request.body` variables, `${...}` bounds, static text, `\$` escapes.
struct SelectionExpressionTests {
    @Test func parsesVariablesAndText() throws {
        #expect(try SelectionExpression(parsing: "$request.body.action").parts == [.body(".action")])
        #expect(try SelectionExpression(parsing: "${request.body.action}").parts == [.body(".action")])
        #expect(
            try SelectionExpression(parsing: "${request.body.service}/${request.body.action}").parts
                == [.body(".service"), .literal("/"), .body(".action")])
        #expect(try SelectionExpression(parsing: "$request.body").parts == [.body("")])
        #expect(try SelectionExpression(parsing: "$request.body.data['room'][0]").parts == [.body(".data['room'][0]")])
    }

    @Test func escapedDollarIsText() throws {
        let expression = try SelectionExpression(parsing: "\\$default")
        #expect(expression.constant == "$default")
    }

    @Test func refusesWhatItCannotEvaluate() {
        #expect(throws: SelectionExpression.Failure.self) { try SelectionExpression(parsing: "$request.header.x") }
        #expect(throws: SelectionExpression.Failure.self) { try SelectionExpression(parsing: "${request.body.action") }
        #expect(throws: SelectionExpression.Failure.self) { try SelectionExpression(parsing: "$request.body..x") }
        #expect(throws: SelectionExpression.Failure.self) { try SelectionExpression(parsing: "$default") }
    }

    @Test func integrationResponseVariablesOnlyWhereAllowed() throws {
        let expression = try SelectionExpression(
            parsing: "${integration.response.statuscode}-$integration.response.header.X-Kind", integrationResponse: true)
        #expect(expression.parts == [.integrationStatusCode, .literal("-"), .integrationHeader("X-Kind")])
        #expect(try SelectionExpression(parsing: "$integration.response.multivalueheader.A", integrationResponse: true).parts == [.integrationHeader("A")])
        #expect(throws: SelectionExpression.Failure.self) { try SelectionExpression(parsing: "$integration.response.statuscode") }
        #expect(throws: SelectionExpression.Failure.self) {
            try SelectionExpression(parsing: "$integration.response.header.", integrationResponse: true)
        }
    }
}
