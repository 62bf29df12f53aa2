import PorticoModel
import Testing

/// `GetModelTemplate`'s sample templates, in the shape of AWS's generated ones.
struct ModelTemplateTests {
    static func schema(_ text: String) -> JSONValue { JSONParser.parse(Array(text.utf8))! }

    @Test func anObjectModel() {
        let template = ModelTemplate.generate(schema: Self.schema(#"""
            {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"vip":{"type":"boolean"},
             "address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"number"}}},
             "tags":{"type":"array","items":{"type":"string"}}}}
            """#))
        #expect(
            template == """
                #set($inputRoot = $input.path('$'))
                {
                  "address" : {
                    "city" : "$inputRoot.address.city",
                    "zip" : $inputRoot.address.zip
                  },
                  "age" : $inputRoot.age,
                  "name" : "$inputRoot.name",
                  "tags" : [
                ##TODO: Update this foreach loop to reference array from input json
                #foreach($elem in $inputRoot.tags)
                 "$elem"
                #if($foreach.hasNext),#end
                #end
                  ],
                  "vip" : $inputRoot.vip
                }
                """)
    }

    @Test func anArrayModel() {
        let template = ModelTemplate.generate(schema: Self.schema(#"""
            {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"type":{"type":"string"}}}}
            """#))
        #expect(
            template == """
                #set($inputRoot = $input.path('$'))
                [
                #foreach($elem in $inputRoot)
                 {
                   "id" : $elem.id,
                   "type" : "$elem.type"
                 }
                #if($foreach.hasNext),#end

                #end
                ]
                """)
    }

    @Test func anEmptyOrUntypedModel() {
        #expect(ModelTemplate.generate(schema: .object([:])) == "#set($inputRoot = $input.path('$'))\n{\n}")
        #expect(ModelTemplate.generate(schema: Self.schema(#"{"properties":{"x":{}}}"#)).contains(#""x" : "$inputRoot.x""#))
    }
}
