import NIOCore
import NIOPosix
import NIOSSL

/// Keep-alive connections to backends for one event loop. A request and its upstream call stay
/// on one thread: connections are created on, and only used from, this pool's loop.
final class UpstreamPool {
    struct Key: Hashable, Sendable {
        var host: String
        var port: Int
        /// The name for SNI and certificate verification when the backend is https, else nil.
        var tlsServerName: String?
    }

    /// The largest backend response head accepted (a larger one answers as a failed integration).
    /// Generous, as cookies and tracing headers from backends can be large.
    static let maxResponseHeadBytes = 64 * 1024

    let eventLoop: any EventLoop
    let maxIdlePerKey: Int
    let idleTimeout: TimeAmount
    let connectTimeout: TimeAmount
    /// Shared by every https connection (building one is expensive); nil if it could not be made.
    let tlsContext: NIOSSLContext?
    /// The idle connections to one backend. One object per key, kept while the pool lives (the
    /// sweep drops empty ones), so that taking and giving back a connection is one dictionary read
    /// each: no copy-on-write of the dictionary's storage, no array freed when the last idle
    /// connection is taken and allocated again when one comes back (three allocations per
    /// request in the profile before).
    ///
    /// Connections given back during the loop's current wake-up wait in `released` and join
    /// `connections` when the loop runs its tasks, after the wake-up's events (``settle()``); a request
    /// takes from `connections` first. The reason is the order in which `epoll` reports events. A
    /// socket that was reported in this wake-up stays on the kernel's (level-triggered) ready list until
    /// the next `epoll_wait` looks at it again. A connection given back and taken again within the
    /// wake-up, whose backend answers before that next wait, is reported at its old place near the
    /// head of the list, ahead of the client requests that arrived before the answer. In a saturated
    /// loop such answers overtook requests at random, which widened the spread of latencies (the p99
    /// of the proxy benchmark; `docs/notes/issue-2.md`). Among the settled connections the most recent
    /// is taken, so that at light load the surplus ones stay idle and reach the idle timeout.
    final class IdleList {
        var connections: [UpstreamConnection] = []
        var released: [UpstreamConnection] = []
        var count: Int { connections.count + released.count }
    }

    private var idle: [Key: IdleList] = [:]
    /// The loop's flushes (shared with its client connections through ``LoopState``).
    let flushes: FlushBatch
    /// The list last taken from or given back to: most traffic goes to one backend, and comparing a key
    /// is cheaper than hashing it (twice per request). Cleared when the sweep drops lists.
    private var recent: (key: Key, list: IdleList)?
    private var sweep: Scheduled<Void>?
    /// The lists with connections in `released`, settled by one task per wake-up.
    private var unsettled: [IdleList] = []

    init(eventLoop: any EventLoop, maxIdlePerKey: Int, idleTimeout: TimeAmount, connectTimeout: TimeAmount, tlsContext: NIOSSLContext?) {
        self.tlsContext = tlsContext
        self.eventLoop = eventLoop
        self.maxIdlePerKey = maxIdlePerKey
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
        self.flushes = FlushBatch(eventLoop: eventLoop)
    }

    /// An idle connection to `key` if one is open, else nil.
    func takeIdle(_ key: Key) -> UpstreamConnection? {
        guard let list = list(for: key) else { return nil }
        let now = NIODeadline.now()
        while let connection = list.connections.popLast() ?? list.released.popLast() {
            let expired = connection.idleSince.map { now - $0 > idleTimeout } ?? false
            connection.idleSince = nil
            // `isClosed` follows the channel (set on close and on channelInactive, on this loop),
            // so asking the channel whether it is active would only cost time.
            if !expired, !connection.isClosed {
                connection.isReused = true
                return connection
            }
            connection.close()
        }
        return nil
    }

    /// Opens a new connection to `key`; `completion` runs on this pool's loop.
    func connect(_ key: Key, _ completion: @escaping (Result<UpstreamConnection, any Error>) -> Void) {
        let tlsContext = self.tlsContext
        if key.tlsServerName != nil, tlsContext == nil {
            completion(.failure(UpstreamError.tlsUnavailable))
            return
        }
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                do {
                    if let serverName = key.tlsServerName, let tlsContext {
                        // An IP literal cannot be sent as SNI; it is still verified against the certificate.
                        let isIP = (try? SocketAddress(ipAddress: serverName, port: 0)) != nil
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tlsContext, serverHostname: isIP ? nil : serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        UpstreamConnection(key: key, maxResponseHeadBytes: Self.maxResponseHeadBytes))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(host: key.host, port: key.port)
            .assumeIsolated()
            .whenComplete { result in
                completion(result.flatMap { channel in
                    Result {
                        let connection = try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
                        connection.flushes = self.flushes
                        return connection
                    }
                })
            }
    }

    /// Gives a connection back after a complete exchange; it is kept if there is room.
    func release(_ connection: UpstreamConnection) {
        connection.delegate = nil
        guard !connection.isClosed else { return }
        let list: IdleList
        if let existing = self.list(for: connection.key) {
            list = existing
        } else {
            list = IdleList()
            list.connections.reserveCapacity(min(maxIdlePerKey, 64))
            idle[connection.key] = list
            recent = (connection.key, list)
        }
        guard list.count < maxIdlePerKey else {
            connection.close()
            return
        }
        // Reads stay on while idle so that a backend closing the connection is noticed.
        connection.setAutoRead(true)
        connection.idleSince = .now()
        if list.released.isEmpty {
            if unsettled.isEmpty {
                eventLoop.assumeIsolated().execute { [self] in settle() }
            }
            unsettled.append(list)
        }
        list.released.append(connection)
        scheduleSweep()
    }

    /// Moves the connections given back during the wake-up that just ended to the ones taken first.
    private func settle() {
        for list in unsettled {
            list.connections.append(contentsOf: list.released)
            list.released.removeAll(keepingCapacity: true)
        }
        unsettled.removeAll(keepingCapacity: true)
    }

    private func list(for key: Key) -> IdleList? {
        if let recent, recent.key == key { return recent.list }
        guard let list = idle[key] else { return nil }
        recent = (key, list)
        return list
    }

    /// One timer per pool (not one per release) closes connections idle longer than the timeout.
    private func scheduleSweep() {
        guard sweep == nil else { return }
        // Strong capture (the task is cancelled by `closeAll` or dropped with the loop): a weak one gives
        // the pool a side table, which sends the retain and release of every `state.pool` access, two
        // per request, down the runtime's slow path (`incrementSlow` in profiles).
        sweep = eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [self] in
            self.sweep = nil
            let now = NIODeadline.now()
            var empty: [Key] = []
            self.settle()
            for (key, list) in self.idle {
                let (expired, kept) = list.connections.reduce(into: ([UpstreamConnection](), [UpstreamConnection]())) { result, connection in
                    if let since = connection.idleSince, now - since >= self.idleTimeout {
                        result.0.append(connection)
                    } else {
                        result.1.append(connection)
                    }
                }
                for connection in expired { connection.close() }
                list.connections = kept
                if kept.isEmpty { empty.append(key) }
            }
            for key in empty { self.idle[key] = nil }
            if !empty.isEmpty { self.recent = nil }
            if !self.idle.isEmpty { self.scheduleSweep() }
        }
    }

    func closeAll() {
        sweep?.cancel()
        sweep = nil
        settle()
        for (_, list) in idle {
            for connection in list.connections { connection.close() }
        }
        idle.removeAll()
        recent = nil
    }
}
