/// `java.util.ArrayList` and `java.util.LinkedHashMap` methods, plus those of `Integer`,
/// `Double` and `Boolean`. Mutators change the shared object, as in Java; `put` and `remove`
/// return the previous value, so `$map.put('a', 1)` renders its source when there was none —
/// templates write `#set($ignored = $map.put(…))` or `$!map.put(…)` for that reason.
extension Evaluator {
    func listMethod(_ name: MethodName, on list: ListBox, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        switch (name, arguments.count) {
        // AWS's reference says `$input.path('$.pets').count()` returns 3, though a Java list has
        // no `count()`; Portico follows the documentation.
        case (.size, 0), (.count, 0): return .integer(Int64(list.items.count))
        case (.isEmpty, 0): return .bool(list.items.isEmpty)
        case (.toString, 0): return .string(try TemplateValue.list(list).text(limit: textLimit))
        case (.get, 1):
            guard let index = Self.int(arguments[0]) else { return nil }
            guard list.items.indices.contains(index) else { throw Self.outOfBounds(index, list.items.count) }
            return list.items[index]
        case (.contains, 1):
            for item in list.items where try Self.equal(item, arguments[0]) { return .bool(true) }
            return .bool(false)
        case (.indexOf, 1):
            for (index, item) in list.items.enumerated() where try Self.equal(item, arguments[0]) { return .integer(Int64(index)) }
            return .integer(-1)
        case (.add, 1):
            list.items.append(arguments[0])
            return .bool(true)
        case (.add, 2):
            guard let index = Self.int(arguments[0]) else { return nil }
            guard (0...list.items.count).contains(index) else { throw Self.outOfBounds(index, list.items.count) }
            list.items.insert(arguments[1], at: index)
            return nil
        case (.addAll, 1):
            guard case .list(let other) = arguments[0] else { return nil }
            // `$l.addAll($l)` in a loop doubles the list each time; adding more elements than
            // the total iteration budget at once is refused (no loop could walk them anyway).
            let limit = template.limits.maxTotalIterations
            guard other.items.count <= limit else { throw .loopLimit(limit) }
            list.items.append(contentsOf: other.items)
            return .bool(!other.items.isEmpty)
        case (.set, 2):
            guard let index = Self.int(arguments[0]) else { return nil }
            guard list.items.indices.contains(index) else { throw Self.outOfBounds(index, list.items.count) }
            defer { list.items[index] = arguments[1] }
            return list.items[index]
        case (.remove, 1):
            // `remove(int)` removes at an index; `remove(Object)` removes an equal element.
            if let index = Self.int(arguments[0]) {
                guard list.items.indices.contains(index) else { throw Self.outOfBounds(index, list.items.count) }
                return list.items.remove(at: index)
            }
            for (index, item) in list.items.enumerated() where try Self.equal(item, arguments[0]) {
                list.items.remove(at: index)
                return .bool(true)
            }
            return .bool(false)
        case (.clear, 0):
            list.items.removeAll()
            return nil
        case (.subList, 2):
            guard let from = Self.int(arguments[0]), let to = Self.int(arguments[1]) else { return nil }
            guard from >= 0, to <= list.items.count, from <= to else { throw Self.outOfBounds(to, list.items.count) }
            return .list(ListBox(Array(list.items[from..<to])))
        case (.equals, 1): return .bool(try Self.equal(.list(list), arguments[0]))
        default: return nil
        }
    }

    func mapMethod(_ name: MethodName, on map: MapBox, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        switch (name, arguments.count) {
        case (.size, 0), (.count, 0): return .integer(Int64(map.count))
        case (.isEmpty, 0): return .bool(map.count == 0)
        case (.toString, 0): return .string(try TemplateValue.map(map).text(limit: textLimit))
        case (.get, 1): return map[try arguments[0].text(limit: textLimit)]
        case (.containsKey, 1): return .bool(map[try arguments[0].text(limit: textLimit)] != nil)
        case (.containsValue, 1):
            for value in map.values where try Self.equal(value, arguments[0]) { return .bool(true) }
            return .bool(false)
        case (.keySet, 0): return .list(ListBox(map.keys.map { .string($0) }))
        case (.values, 0): return .list(ListBox(map.values))
        case (.entrySet, 0):
            // Entries as maps with `key` and `value`, so `$e.key` and `$e.getKey()` both work.
            return .list(ListBox(map.entries.map { entry in
                let pair = MapBox(minimumCapacity: 2)
                pair.put("key", .string(entry.key))
                pair.put("value", entry.value)
                return .map(pair)
            }))
        case (.getKey, 0): return map["key"]
        case (.getValue, 0): return map["value"]
        case (.put, 2): return map.put(try arguments[0].text(limit: textLimit), arguments[1])
        case (.putAll, 1):
            guard case .map(let other) = arguments[0] else { return nil }
            for entry in other.entries { map.put(entry.key, entry.value) }
            return nil
        case (.remove, 1): return map.remove(try arguments[0].text(limit: textLimit))
        case (.clear, 0):
            map.removeAll()
            return nil
        case (.equals, 1): return .bool(try Self.equal(.map(map), arguments[0]))
        default: return nil
        }
    }

    func scalarMethod(_ name: MethodName, on value: TemplateValue, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        switch (name, arguments.count) {
        case (.toString, 0): return .string(try value.text(limit: textLimit))
        case (.equals, 1):
            // Java's `Integer.equals(Long)` is false; here both are integers, so kinds must match.
            switch (value, arguments[0]) {
            case (.integer(let a), .integer(let b)): return .bool(a == b)
            case (.double(let a), .double(let b)): return .bool(a == b)
            case (.bool(let a), .bool(let b)): return .bool(a == b)
            default: return .bool(false)
            }
        case (.intValue, 0), (.longValue, 0):
            guard let number = value.numeric else { return nil }
            switch number {
            case .integer(let integer): return .integer(name == .intValue ? Int64(Int32(truncatingIfNeeded: integer)) : integer)
            case .double(let double): return double.isFinite ? .integer(Int64(double.rounded(.towardZero).clamped)) : .integer(0)
            }
        case (.doubleValue, 0), (.floatValue, 0):
            return value.numeric.map { .double($0.doubleValue) }
        case (.booleanValue, 0):
            if case .bool = value { return value }
            return nil
        case (.compareTo, 1):
            guard let a = value.numeric, let b = arguments[0].numeric else { return nil }
            return .integer(Int64(Self.compareNumbers(a, b)))
        default:
            return nil
        }
    }

    static func outOfBounds(_ index: Int, _ count: Int) -> TemplateRenderError {
        .invalidArgument("index \(index) out of bounds for length \(count)")
    }
}

extension Double {
    /// Clamped into `Int64`'s range before converting, as Java's `(long)` cast does.
    var clamped: Double {
        Swift.min(Swift.max(self, -9.223372036854775808e18), 9.223372036854774784e18)
    }
}
