/// A value while a template is being evaluated, modelled on the Java objects Velocity sees inside
/// API Gateway: strings, `Integer`/`Long`, `Double`, `Boolean`, `ArrayList` and `LinkedHashMap`.
///
/// Lists and maps are reference types, as in Java: `#set($b = $a)` aliases, and `$a.add(1)` is
/// seen through `$b`. Values live only for one render, so they need not be `Sendable`.
enum TemplateValue {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case list(ListBox)
    case map(MapBox)
    /// `$input`, `$util` and `$foreach`: objects whose methods the engine provides.
    case builtin(Builtin)

    enum Builtin {
        case input
        case util
        case loop(LoopState)
        /// A `#define` block, rendered where it is referenced.
        case block([Node])
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Velocity 1.7's truth: `null` and `false` are false, every other value (even `""` and an
    /// empty list) is true.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        default: true
        }
    }

    /// The value as a number, for arithmetic and numeric comparison.
    var numeric: Numeric? {
        switch self {
        case .integer(let value): .integer(value)
        case .double(let value): .double(value)
        default: nil
        }
    }

    enum Numeric {
        case integer(Int64)
        case double(Double)

        var doubleValue: Double {
            switch self {
            case .integer(let value): Double(value)
            case .double(let value): value
            }
        }

        var value: TemplateValue {
            switch self {
            case .integer(let value): .integer(value)
            case .double(let value): .double(value)
            }
        }
    }
}

/// A Java `ArrayList`, or a JSON array from the payload.
final class ListBox {
    var items: [TemplateValue]
    /// Arrays that came from JSON (`$input.path`, `$util.parseJson`) are json-smart
    /// `JSONArray`s in API Gateway, whose `toString()` is compact JSON: `["a",{"b":1}]`,
    /// not Java's `[a, {b=1}]`.
    let printsAsJSON: Bool

    init(_ items: [TemplateValue] = [], printsAsJSON: Bool = false) {
        self.items = items
        self.printsAsJSON = printsAsJSON
    }
}

/// A Java `LinkedHashMap` with string keys: insertion order is kept, because templates iterate
/// `keySet()` and JSON bodies print back in the order they came.
///
/// Most maps in a request (JSON objects, `$context.identity`) are small, so entries live in one
/// array searched linearly; a hash index is built only once a map passes `indexThreshold` keys.
final class MapBox {
    struct Entry {
        let key: String
        var value: TemplateValue
    }

    private(set) var entries: [Entry] = []
    private var index: [String: Int]?
    private static let indexThreshold = 12

    init() {}

    init(minimumCapacity: Int) {
        entries.reserveCapacity(minimumCapacity)
    }

    var count: Int { entries.count }
    var keys: [String] { entries.map(\.key) }
    var values: [TemplateValue] { entries.map(\.value) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        var position = 0
        while position < entries.count {
            if entries[position].key == key { return position }
            position += 1
        }
        return nil
    }

    subscript(key: String) -> TemplateValue? {
        position(of: key).map { entries[$0].value }
    }

    /// Java's `put`: returns the previous value (nil when there was none).
    @discardableResult
    func put(_ key: String, _ value: TemplateValue) -> TemplateValue? {
        if let existing = position(of: key) {
            let previous = entries[existing].value
            entries[existing].value = value
            return previous
        }
        entries.append(Entry(key: key, value: value))
        if index != nil {
            index![key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            rebuildIndex()
        }
        return nil
    }

    @discardableResult
    func remove(_ key: String) -> TemplateValue? {
        guard let existing = position(of: key) else { return nil }
        let previous = entries.remove(at: existing).value
        if index != nil { rebuildIndex() }
        return previous
    }

    func removeAll() {
        entries.removeAll()
        index = nil
    }

    private func rebuildIndex() {
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { index[entry.key] = position }
        self.index = index
    }
}

/// The state behind `$foreach` (Velocity 1.7's `ForeachScope`) for the innermost loop.
final class LoopState {
    var index = 0
    var hasNext = false
    let parent: LoopState?

    init(parent: LoopState?) {
        self.parent = parent
    }
}
