import Synchronization

/// One cached answer: what a hit sends back (status, headers, body), without the headers the data plane adds to
/// every response itself (request ids, `Content-Length`, `Connection`).
public struct CachedResponse: Sendable {
    public let status: Int
    public let headers: [(String, String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static let empty = CachedResponse(status: 0, headers: [], body: [])
}

/// A stage's response cache (AWS: the stage's "cache cluster"): least-recently-used entries with a time to live,
/// bounded in bytes.
///
/// **Memory.** Every entry is charged its key, header names and values and body in bytes, plus a fixed overhead for
/// its bookkeeping (``entryOverheadBytes``, ``headerOverheadBytes``). Storing evicts least-recently-used entries
/// until the new one fits, so the charged total never passes ``capacityBytes``. A body over AWS's 1,048,576-byte
/// limit for a cached response is not stored.
///
/// **Threads.** One cache serves every event loop of the process (a capacity split per loop would multiply the
/// memory or lower the hit rate by the number of loops). It is split into shards by the key's hash, each an LRU
/// list behind its own mutex, holding a share of the capacity: a lookup or store holds one shard's lock for a
/// dictionary probe and a few index moves, so loops rarely wait on each other, and there is no process-wide lock on
/// the request path. A lock-free LRU would need epoch reclamation of nodes, far more code for the same 2–16 loops.
/// Small caches (under 4 MiB a shard) use one shard, so that a 1 MiB response always fits a shard.
///
/// Time is passed in (monotonic nanoseconds, `NIODeadline.now().uptimeNanoseconds` on the data plane), so tests
/// drive expiry with an injected clock.
public final class ResponseCache: Sendable {
    /// AWS: "The maximum size of a response that can be cached is 1048576 bytes."
    public static let maxBodyBytes = 1_048_576
    /// Charged per entry beyond its bytes: the list node, dictionary slot and array headers.
    public static let entryOverheadBytes = 128
    /// Charged per header beyond its name and value: the tuple and two string headers.
    public static let headerOverheadBytes = 32
    /// A shard holds at least this much, so that the largest cacheable response fits one.
    static let minimumShardBytes = 4 << 20
    static let maximumShards = 16

    public let capacityBytes: Int
    private let shards: [Shard]

    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
        let count = max(1, min(Self.maximumShards, self.capacityBytes / Self.minimumShardBytes))
        let share = self.capacityBytes / count
        self.shards = (0..<count).map { _ in Shard(capacityBytes: share) }
    }

    /// The bytes charged for `response` stored under `key`.
    public static func cost(key: String, _ response: CachedResponse) -> Int {
        var bytes = entryOverheadBytes + key.utf8.count + response.body.count
        for (name, value) in response.headers {
            bytes += headerOverheadBytes + name.utf8.count + value.utf8.count
        }
        return bytes
    }

    /// The live response for `key`, which becomes the most recently used; nil when absent or expired (an expired
    /// entry is dropped).
    public func lookup(_ key: String, nowNanos: UInt64) -> CachedResponse? {
        shard(key).lock.withLock { $0.lookup(key, now: nowNanos) }
    }

    /// Stores `response` under `key` for `ttlNanos`, replacing an entry with that key and evicting the least
    /// recently used ones until it fits. Returns false (and stores nothing) when it cannot fit at all or its body
    /// is over ``maxBodyBytes``.
    @discardableResult
    public func store(_ key: String, _ response: CachedResponse, ttlNanos: UInt64, nowNanos: UInt64) -> Bool {
        guard ttlNanos > 0, response.body.count <= Self.maxBodyBytes else { return false }
        let cost = Self.cost(key: key, response)
        let (expires, overflow) = nowNanos.addingReportingOverflow(ttlNanos)
        return shard(key).lock.withLock { $0.store(key, response, cost: cost, expires: overflow ? .max : expires) }
    }

    /// Drops the entry for `key`, if any.
    public func invalidate(_ key: String) {
        shard(key).lock.withLock { $0.remove(key) }
    }

    /// Drops every entry (FlushStageCache).
    public func removeAll() {
        for shard in shards { shard.lock.withLock { $0.removeAll() } }
    }

    /// Bytes charged by the entries held now (expired ones included until they are found or evicted).
    public var usedBytes: Int {
        shards.reduce(0) { total, shard in total + shard.lock.withLock { $0.used } }
    }

    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.lock.withLock { $0.index.count } }
    }

    private func shard(_ key: String) -> Shard {
        shards.count == 1 ? shards[0] : shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    private final class Shard: Sendable {
        let lock: Mutex<LRUList>
        init(capacityBytes: Int) { lock = Mutex(LRUList(capacity: capacityBytes)) }
    }
}

/// One shard's entries: a dictionary from key to a slot of `nodes`, the slots linked from most (`head`) to least
/// (`tail`) recently used by index, and freed slots reused, so that a steady state allocates only for the stored
/// responses themselves.
struct LRUList: ~Copyable {
    struct Node {
        var key: String
        var response: CachedResponse
        var expires: UInt64
        var cost: Int
        var previous: Int
        var next: Int
    }

    let capacity: Int
    var nodes: [Node] = []
    var free: [Int] = []
    var index: [String: Int] = [:]
    var head = -1
    var tail = -1
    var used = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func lookup(_ key: String, now: UInt64) -> CachedResponse? {
        guard let slot = index[key] else { return nil }
        if nodes[slot].expires <= now {
            release(slot)
            return nil
        }
        if slot != head {
            unlink(slot)
            pushFront(slot)
        }
        return nodes[slot].response
    }

    mutating func store(_ key: String, _ response: CachedResponse, cost: Int, expires: UInt64) -> Bool {
        if let existing = index[key] { release(existing) }
        guard cost <= capacity else { return false }
        while used + cost > capacity, tail >= 0 {
            release(tail)
        }
        let node = Node(key: key, response: response, expires: expires, cost: cost, previous: -1, next: -1)
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        index[key] = slot
        used += cost
        pushFront(slot)
        return true
    }

    mutating func remove(_ key: String) {
        if let slot = index[key] { release(slot) }
    }

    mutating func removeAll() {
        nodes.removeAll()
        free.removeAll()
        index.removeAll()
        head = -1
        tail = -1
        used = 0
    }

    /// Unlinks and frees a slot, dropping its response (its memory goes now, not when the slot is reused).
    private mutating func release(_ slot: Int) {
        unlink(slot)
        index[nodes[slot].key] = nil
        used -= nodes[slot].cost
        nodes[slot].key = ""
        nodes[slot].response = .empty
        nodes[slot].cost = 0
        free.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous >= 0 { nodes[previous].next = next } else if head == slot { head = next }
        if next >= 0 { nodes[next].previous = previous } else if tail == slot { tail = previous }
        nodes[slot].previous = -1
        nodes[slot].next = -1
    }

    private mutating func pushFront(_ slot: Int) {
        nodes[slot].previous = -1
        nodes[slot].next = head
        if head >= 0 { nodes[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}
