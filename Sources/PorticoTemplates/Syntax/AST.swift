/// The compiled form of a template: built once per deployment, walked on every request.
///
/// Everything a render would otherwise work out again is decided here: literal text is one
/// string per run, variable names are slot numbers, method names are enum cases, and regular
/// expressions given as literals are compiled.
indirect enum Node: Sendable {
    case text(String)
    /// `$a.b(...)` rendered into the output.
    case reference(Reference)
    /// `\$a` with `backslashes` backslashes before it (Velocity 1.7 escaping rules).
    case escapedReference(backslashes: Int, Reference)
    case set(Reference, Expression)
    case conditional([ConditionalBranch], otherwise: [Node]?)
    case foreach(Foreach)
    /// `#define($name) … #end`: binds the block to the variable, rendered at each reference.
    case define(slot: Int, body: [Node])
    /// `#name(arguments)`: a call of the template's `#macro` numbered `macro`; rendered as
    /// `source` when the template defines no such macro.
    case macroCall(macro: Int, arguments: [Expression], source: String)
    case breakLoop
    case stop
}

/// A `#macro(name $a $b) … #end` definition.
struct Macro: Sendable {
    /// The parameters' variable slots, in order.
    let parameters: [Int]
    let body: [Node]
}

struct ConditionalBranch: Sendable {
    let condition: Expression
    let body: [Node]
}

struct Foreach: Sendable {
    /// The loop variable's slot.
    let slot: Int
    let iterable: Expression
    let body: [Node]
}

/// `$name.step.step…`, resolved to a variable slot.
struct Reference: Sendable {
    let slot: Int
    /// `$!a`: renders nothing instead of its source when it has no value.
    let quiet: Bool
    let steps: [ReferenceStep]
    /// The reference as written, which Velocity renders when it has no value.
    let source: String
}

enum ReferenceStep: Sendable {
    /// `.name`: a map member, or a bean-style getter (`getName()`/`isName()`).
    case property(String)
    case method(MethodCall)
    /// `[expression]`
    case index(Expression)
}

struct MethodCall: Sendable {
    let name: MethodName
    let arguments: [Expression]
    /// The first argument compiled as a Java regular expression, when it is a string literal
    /// and the method takes a regex (`matches`, `replaceAll`, `replaceFirst`, `split`).
    let regex: JavaRegex?
    /// The first argument compiled as a JSONPath, when it is a string literal and the method is
    /// `$input.json` or `$input.path`.
    let jsonPath: JSONPath?
}

indirect enum Expression: Sendable {
    case constant(Constant)
    case reference(Reference)
    /// A double-quoted string with `$` or `#` in it, evaluated as a small template.
    case interpolated([Node])
    case list([Expression])
    /// `[a..b]`
    case range(Expression, Expression)
    case map([MapEntry])
    case not(Expression)
    case negate(Expression)
    case binary(BinaryOperator, Expression, Expression)
}

struct MapEntry: Sendable {
    let key: Expression
    let value: Expression
}

enum Constant: Sendable {
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
}

enum BinaryOperator: Sendable {
    case or, and
    case equal, notEqual, less, greater, lessOrEqual, greaterOrEqual
    case add, subtract, multiply, divide, remainder
}

/// Method names known to the engine, resolved once at compile time so that a render switches on
/// an enum rather than comparing strings.
enum MethodName: Sendable, Equatable {
    // Every object
    case toString, equals, hashCode
    // java.lang.String
    case length, substring, toLowerCase, toUpperCase, contains, startsWith, endsWith, replace, replaceAll,
        replaceFirst, matches, split, trim, isEmpty, indexOf, lastIndexOf, charAt, equalsIgnoreCase, concat, compareTo
    // java.util.List / java.util.Map
    case size, get, add, addAll, set, remove, clear, keySet, values, entrySet, containsKey, containsValue, put,
        putAll, subList, getKey, getValue
    // Numbers and booleans
    case intValue, longValue, doubleValue, floatValue, booleanValue
    // API Gateway: $input, $util; `count()` is kept because AWS's reference documents it
    case json, path, params, count
    case escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode, base64Decode
    case other(String)

    init(_ name: String) {
        self = Self.known[name] ?? .other(name)
    }

    private static let known: [String: MethodName] = [
        "toString": .toString, "equals": .equals, "hashCode": .hashCode,
        "length": .length, "substring": .substring, "toLowerCase": .toLowerCase, "toUpperCase": .toUpperCase,
        "contains": .contains, "startsWith": .startsWith, "endsWith": .endsWith, "replace": .replace,
        "replaceAll": .replaceAll, "replaceFirst": .replaceFirst, "matches": .matches, "split": .split,
        "trim": .trim, "isEmpty": .isEmpty, "indexOf": .indexOf, "lastIndexOf": .lastIndexOf, "charAt": .charAt,
        "equalsIgnoreCase": .equalsIgnoreCase, "concat": .concat, "compareTo": .compareTo,
        "size": .size, "get": .get, "add": .add, "addAll": .addAll, "set": .set, "remove": .remove, "clear": .clear,
        "keySet": .keySet, "values": .values, "entrySet": .entrySet, "containsKey": .containsKey,
        "containsValue": .containsValue, "put": .put, "putAll": .putAll, "subList": .subList,
        "getKey": .getKey, "getValue": .getValue,
        "intValue": .intValue, "longValue": .longValue, "doubleValue": .doubleValue, "floatValue": .floatValue,
        "booleanValue": .booleanValue,
        "json": .json, "path": .path, "params": .params, "count": .count,
        "escapeJavaScript": .escapeJavaScript, "parseJson": .parseJson, "urlEncode": .urlEncode,
        "urlDecode": .urlDecode, "base64Encode": .base64Encode, "base64Decode": .base64Decode,
    ]

    /// Methods whose first argument is a Java regular expression.
    var takesRegex: Bool {
        switch self {
        case .matches, .replaceAll, .replaceFirst, .split: true
        default: false
        }
    }
}

/// Slots of the variables every template can see; the template's own variables follow.
enum BuiltinSlot {
    static let input = 0
    static let util = 1
    static let context = 2
    static let stageVariables = 3
    static let foreach = 4
    static let velocityCount = 5
    static let names = ["input", "util", "context", "stageVariables", "foreach", "velocityCount"]
}
