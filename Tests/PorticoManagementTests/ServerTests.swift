import Foundation
import Logging
import NIOPosix
import PorticoAuth
import PorticoModel
import PorticoStore
import Testing

@testable import PorticoManagement

#if canImport(Glibc)
import Glibc
#endif

/// The real server on an ephemeral loopback port, driven with raw HTTP over a socket.
struct ServerTests {
    /// Sends `request` and reads what comes back until the server closes or `until` is seen, on a
    /// thread of its own: blocking a cooperative thread could starve the server under test.
    static func exchange(
        port: Int, _ request: [UInt8], until marker: String? = nil, firstData: (@Sendable () -> Void)? = nil
    ) async -> String {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: blockingExchange(port: port, request, until: marker, firstData: firstData))
            }
            thread.start()
        }
    }

    static func blockingExchange(port: Int, _ request: [UInt8], until marker: String?, firstData: (@Sendable () -> Void)? = nil) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(connected == 0)
        // Generous: the suites run in parallel on two cores, and a starved server is not a failure
        // of what these tests check (an empty reply after this wait is).
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { break }
            offset += sent
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            if received.isEmpty { firstData?() }
            received += buffer[0..<count]
            if let marker, String(decoding: received, as: UTF8.self).components(separatedBy: marker).count > 2 { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func withServer(maxBodyBytes: Int = 1024, _ body: (Int) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portico-srv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ManagementConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = maxBodyBytes
        configuration.enableReset = true
        let server = ManagementServer(
            configuration: configuration, store: try SQLiteStore(directory: directory),
            verifier: SigV4Verifier(mode: .acceptAnyWellFormed), metricsText: { "portico_up 1\n" }, logger: Logger(label: "test"))
        let address = try await server.start(group: MultiThreadedEventLoopGroup.singleton)
        do {
            try await body(try #require(address.port))
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func healthAndKeepAlive() async throws {
        try await Self.withServer { port in
            let one = "GET /_portico/health HTTP/1.1\r\nHost: x\r\n\r\n"
            let reply = await Self.exchange(port: port, Array((one + one).utf8), until: "HTTP/1.1 200")
            #expect(reply.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
            #expect(reply.contains(#"{"status":"ok"}"#))
            #expect(reply.lowercased().contains("x-amzn-requestid: "))
        }
    }

    @Test func metricsAndResetNeedNoCredentials() async throws {
        try await Self.withServer { port in
            let metrics = await Self.exchange(port: port, Array("GET /_portico/metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(metrics.contains("text/plain; version=0.0.4"))
            #expect(metrics.hasSuffix("portico_up 1\n"))
            let reset = await Self.exchange(
                port: port, Array("POST /_portico/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            #expect(reset.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func unsignedOperationsAreRefused() async throws {
        try await Self.withServer { port in
            let reply = await Self.exchange(port: port, Array("GET /v2/apis HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(reply.hasPrefix("HTTP/1.1 403"))
            #expect(reply.lowercased().contains("x-amzn-errortype: "))
        }
    }

    @Test func oversizedBodyGets413() async throws {
        try await Self.withServer(maxBodyBytes: 100) { port in
            let body = String(repeating: "x", count: 500)
            let reply = await Self.exchange(
                port: port, Array("POST /v2/apis HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n\(body)".utf8))
            #expect(reply.hasPrefix("HTTP/1.1 413"))
            #expect(reply.contains("x-amzn-ErrorType: PayloadTooLargeException"))
            #expect(reply.contains(#"{"message":"Request body is larger than the limit of 100 bytes."}"#))
        }
    }

    @Test func malformedHTTPGets400AndIsClosed() async throws {
        try await Self.withServer { port in
            let reply = await Self.exchange(port: port, Array("THIS IS NOT HTTP\r\n\r\n".utf8))
            #expect(reply.hasPrefix("HTTP/1.1 400"))
        }
    }

    /// With an hour's grace period, shutdown returns only if it closes the idle connection itself
    /// (the time limit catches a hang; nothing here times how fast it is).
    @Test(.timeLimit(.minutes(2))) func shutdownClosesIdleKeepAliveConnections() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portico-srv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ManagementConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriodSeconds = 3600
        let server = ManagementServer(
            configuration: configuration, store: try SQLiteStore(directory: directory),
            verifier: SigV4Verifier(mode: .acceptAnyWellFormed), metricsText: { "" }, logger: Logger(label: "test"))
        let port = try #require(try await server.start(group: MultiThreadedEventLoopGroup.singleton).port)
        // A keep-alive client that stays connected while the server shuts down. Shutdown starts
        // only once the client has its answer (a fixed sleep was flaky on a loaded machine).
        let (answered, signal) = AsyncStream.makeStream(of: Void.self)
        let client = Task {
            let reply = await Self.exchange(
                port: port, Array("GET /_portico/health HTTP/1.1\r\nHost: x\r\n\r\n".utf8), firstData: { signal.yield() })
            signal.finish()
            return reply
        }
        for await _ in answered { break }
        await server.shutdown()
        let reply = await client.value
        #expect(reply.hasPrefix("HTTP/1.1 200"))
    }
}
