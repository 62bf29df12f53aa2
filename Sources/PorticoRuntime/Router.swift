public import PorticoModel

/// Finds the route for a request, with Amazon API Gateway's precedence for HTTP APIs
/// (developer guide, "Routing API requests"): a full match of path and method first, then a
/// match with path variables, then a greedy `{proxy+}` match, then `$default`.
///
/// The router is a trie of path segments built once per deployment. Matching walks it
/// depth-first, trying at every level a literal child before a `{variable}` child before a
/// greedy child, so the first complete match is the most specific one. At a node, a route for the
/// request's own method wins over `ANY` ("use the ANY method to match all methods that you
/// haven't defined for a resource"); a node with neither lets the search backtrack.
public struct Router<Value: Sendable>: Sendable {
    final class Node: Sendable {
        let literals: [String: Node]
        /// The same children as `literals` when there are only a few: compared byte by byte with the raw
        /// segment, which spares hashing it (SipHash, a visible cost per request) and decoding it into a
        /// `String`. Empty when there are more than ``Node/linearLimit``.
        let fewLiterals: [(text: String, node: Node)]
        let variable: (name: String, node: Node)?
        let greedy: (name: String, routes: MethodTable)?
        let routes: MethodTable

        static var linearLimit: Int { 8 }

        init(literals: [String: Node], variable: (name: String, node: Node)?, greedy: (name: String, routes: MethodTable)?, routes: MethodTable) {
            self.literals = literals
            self.fewLiterals = literals.count <= Self.linearLimit ? literals.map { ($0.key, $0.value) } : []
            self.variable = variable
            self.greedy = greedy
            self.routes = routes
        }

        /// The literal child named by `segment`, which holds no percent escape.
        func literal(rawSegment segment: Substring) -> Node? {
            if literals.count > Self.linearLimit { return literals[String(segment)] }
            for (text, node) in fewLiterals where segment.hasSameBytes(as: text) { return node }
            return nil
        }
    }

    /// Routes by method, searched in order: a resource has a handful of methods, and comparing short
    /// strings beats hashing them.
    struct MethodTable: Sendable {
        var byMethod: [(method: String, value: Value)] = []
        var any: Value?

        func lookup(_ method: String) -> Value? {
            for entry in byMethod where entry.method == method { return entry.value }
            return any
        }

        mutating func set(_ value: Value, for method: String) {
            if let index = byMethod.firstIndex(where: { $0.method == method }) {
                byMethod[index].value = value
            } else {
                byMethod.append((method, value))
            }
        }

        var isEmpty: Bool { byMethod.isEmpty && any == nil }
    }

    public struct Match: Sendable {
        public var value: Value
        /// Path variables in route order, values percent-decoded.
        public var pathParameters: [(name: String, value: String)]
    }

    private let root: Node
    private let defaultRoute: Value?

    public init(routes: [(key: RouteKey, value: Value)]) {
        var builder = Builder()
        var defaultRoute: Value?
        for (key, value) in routes {
            if key.isDefault {
                defaultRoute = value
            } else {
                builder.insert(key, value)
            }
        }
        self.root = builder.freeze()
        self.defaultRoute = defaultRoute
    }

    /// Matches `method` and the raw (still percent-encoded) `path`, e.g. `/pets/6`.
    public func match(method: String, path: Substring) -> Match? {
        let trimmed = path.droppingLeadingSlashes()
        // One slot per `/` and one more: at least as many as there are segments. The segments
        // live on the stack for the search (an array of them was an allocation per request).
        var capacity = 1
        for byte in trimmed.utf8 where byte == UInt8(ascii: "/") { capacity += 1 }
        let found: (Value, [(name: String, value: String)])? = withUnsafeTemporaryAllocation(of: Substring.self, capacity: capacity) {
            buffer in
            var count = 0
            var rest = trimmed
            while !rest.isEmpty {
                if let slash = rest.firstIndex(ofByte: UInt8(ascii: "/")) {
                    buffer.initializeElement(at: count, to: rest[rest.startIndex..<slash])
                    rest = rest[rest.utf8.index(after: slash)...]
                } else {
                    buffer.initializeElement(at: count, to: rest)
                    rest = rest[rest.endIndex...]
                }
                count += 1
            }
            defer { buffer.baseAddress!.deinitialize(count: count) }
            var parameters: [(name: String, value: String)] = []
            let segments = UnsafeBufferPointer(rebasing: buffer[..<count])
            guard let value = Self.search(root, segments[...], method: method, rawPath: path, parameters: &parameters) else { return nil }
            return (value, parameters)
        }
        if let (value, parameters) = found {
            return Match(value: value, pathParameters: parameters)
        }
        if let defaultRoute {
            return Match(value: defaultRoute, pathParameters: [])
        }
        return nil
    }

    private static func search(
        _ node: Node, _ segments: Slice<UnsafeBufferPointer<Substring>>, method: String, rawPath: Substring,
        parameters: inout [(name: String, value: String)]
    ) -> Value? {
        guard let segment = segments.first else {
            if let value = node.routes.lookup(method) { return value }
            return nil
        }
        let remaining = segments.dropFirst()
        // Most segments hold no escape: they are matched as they are and decoded only for a variable.
        let escaped = segment.firstIndex(ofByte: UInt8(ascii: "%")) != nil
        let decoded: String? = escaped ? PercentDecoding.decode(segment) : nil
        let child: Node? = if let decoded { node.literals[decoded] } else { node.literal(rawSegment: segment) }
        if let child, let value = search(child, remaining, method: method, rawPath: rawPath, parameters: &parameters)
        {
            return value
        }
        if let (name, child) = node.variable, !segment.isEmpty {
            parameters.append((name, decoded ?? String(segment)))
            if let value = search(child, remaining, method: method, rawPath: rawPath, parameters: &parameters) {
                return value
            }
            parameters.removeLast()
        }
        if let (name, routes) = node.greedy, let value = routes.lookup(method) {
            // The greedy variable takes the rest of the path as sent, from this segment on.
            let start = segment.startIndex
            var tail = rawPath[start...]
            while tail.utf8.last == UInt8(ascii: "/") { tail = tail[..<tail.utf8.index(before: tail.endIndex)] }
            parameters.append((name, PercentDecoding.decode(tail)))
            return value
        }
        return nil
    }

    /// A mutable trie used only while building.
    private struct Builder {
        final class MutableNode {
            var literals: [String: MutableNode] = [:]
            var variable: (name: String, node: MutableNode)?
            var greedy: (name: String, routes: MethodTable)?
            var routes = MethodTable()
        }

        let root = MutableNode()

        mutating func insert(_ key: RouteKey, _ value: Value) {
            var node = root
            for segment in key.segments {
                switch segment {
                case .literal(let text):
                    if let next = node.literals[text] {
                        node = next
                    } else {
                        let next = MutableNode()
                        node.literals[text] = next
                        node = next
                    }
                case .variable(let name):
                    if let existing = node.variable {
                        node = existing.node
                    } else {
                        let next = MutableNode()
                        node.variable = (name, next)
                        node = next
                    }
                case .greedy(let name):
                    var table = node.greedy?.routes ?? MethodTable()
                    Self.add(value, method: key.method, to: &table)
                    node.greedy = (node.greedy?.name ?? name, table)
                    return
                }
            }
            Self.add(value, method: key.method, to: &node.routes)
        }

        static func add(_ value: Value, method: String?, to table: inout MethodTable) {
            if let method {
                table.set(value, for: method)
            } else {
                table.any = value
            }
        }

        func freeze() -> Node { Self.freeze(root) }

        static func freeze(_ node: MutableNode) -> Node {
            Node(
                literals: node.literals.mapValues { freeze($0) },
                variable: node.variable.map { ($0.name, freeze($0.node)) },
                greedy: node.greedy,
                routes: node.routes
            )
        }
    }
}
