import PorticoModel
import PorticoTemplates
import Testing

/// Prints how many renders per second a typical request template reaches, so the number can be
/// quoted (`swift test --filter RenderThroughputTests`). Not a timed assertion: machines vary.
struct RenderThroughputTests {
    static let template = """
        #set($inputRoot = $input.path('$'))
        {
          "requestId": "$context.requestId",
          "stage": "$context.stage",
          "sourceIp": "$context.identity.sourceIp",
          "name": "$input.params('name')",
          "userAgent": "$util.escapeJavaScript($input.params('User-Agent'))",
          "env": "$stageVariables.env",
          "items": [
        #foreach($item in $inputRoot.order.items)
            #set($total = $item.quantity * $item.price)
            {"sku": "$item.sku", "quantity": $item.quantity, "total": $total}#if($foreach.hasNext),#end
        #end
          ],
          "customer": $input.json('$.order.customer')
        }
        """

    static let context = MappingTemplateContext(
        body: """
            {"order": {"customer": {"id": "c-42", "name": "Ann O'Neil", "tier": "gold"},
             "items": [{"sku": "A-1", "quantity": 2, "price": 9.5}, {"sku": "B-2", "quantity": 1, "price": 120},
                       {"sku": "C-3", "quantity": 5, "price": 0.99}]}}
            """,
        pathParameters: [("orderId", "o-1")],
        queryStringParameters: [("name", "ann")],
        headers: [("Content-Type", "application/json"), ("User-Agent", "curl/8.5.0")],
        context: [
            "requestId": .string("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"), "stage": .string("prod"),
            "identity": .object(["sourceIp": .string("192.0.2.1"), "userAgent": .string("curl/8.5.0")]),
        ],
        stageVariables: ["env": "production"])

    @Test func rendersPerSecond() throws {
        let template = try MappingTemplate(source: Self.template)
        let first = try template.render(context: Self.context).body
        #expect(first.contains(#""total": 4.95"#))
        // Renders for about a second, in batches, so the test costs the suite little time.
        let clock = ContinuousClock()
        let start = clock.now
        var renders = 0
        var bytes = 0
        while clock.now - start < .seconds(1) {
            for _ in 0..<200 {
                bytes &+= try template.render(context: Self.context).body.utf8.count
            }
            renders += 200
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let milliseconds = Int(seconds * 1000)
        print("PorticoTemplates: \(Int(Double(renders) / seconds)) renders/s (\(renders) renders of a \(first.utf8.count)-byte output in \(milliseconds) ms)")
        #expect(bytes > 0)
    }
}
