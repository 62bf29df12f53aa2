import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import PorticoLambda

/// The Runtime API connection handler's bookkeeping. A runtime makes two calls per invocation on
/// one keep-alive connection for as long as it lives; the handler once kept every call it had
/// answered and scanned them all on each new call, so a warm process got slower with every
/// invocation (the first Lambda benchmark's 1–1.7k invocations/s).
struct RuntimeAPIHandlerTests {
    @Test func answeredCallsAreNotKeptOnAKeepAliveConnection() throws {
        let channel = EmbeddedChannel()
        let host = HostState(
            loop: channel.embeddedEventLoop, configuration: FunctionHostConfiguration(), logs: FunctionLogs(capacity: 4096),
            logger: Logger(label: "test"))
        let function = HostedFunction(
            configuration: FunctionConfiguration(name: "f", arn: "arn:aws:lambda:us-east-1:000000000000:function:f", codeDirectory: "/tmp", revision: "1"))
        let handler = RuntimeAPIHandler(host: host, worker: FunctionWorker(id: 1, function: function), maxBodyBytes: 1024)
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9001)).wait()

        var answers = 0
        for _ in 0..<200 {
            try channel.writeInbound(ByteBuffer(string: "GET /2018-06-01/runtime/bogus HTTP/1.1\r\nHost: runtime\r\n\r\n"))
            var text = ""
            while let part = try channel.readOutbound(as: IOData.self) {
                if case .byteBuffer(let buffer) = part { text += String(buffer: buffer) }
            }
            if text.hasPrefix("HTTP/1.1 404") { answers += 1 }
        }
        #expect(answers == 200)
        #expect(handler.heldResponders <= 1)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func reportLineMilliseconds() {
        #expect(HostState.milliseconds(1_234_567) == "1.23")
        #expect(HostState.milliseconds(1_235_000) == "1.24")
        #expect(HostState.milliseconds(5_000_000) == "5.00")
        #expect(HostState.milliseconds(50_000) == "0.05")
        #expect(HostState.milliseconds(0) == "0.00")
    }

    @Test func peakMemoryIsReadFromProcStatus() {
        let status = Array("Name:\tx\nVmPeak:\t  9000 kB\nVmHWM:\t    2049 kB\nVmRSS:\t 100 kB\n".utf8)
        #expect(status.withUnsafeBufferPointer { ProcessLauncher.kilobytes(after: ProcessLauncher.vmHWM, in: $0) } == 2049)
        #expect(status.withUnsafeBufferPointer { ProcessLauncher.kilobytes(after: ProcessLauncher.vmRSS, in: $0) } == 100)
        let missing = Array("Name:\tx\nXVmHWM:\t 5 kB\n".utf8)
        #expect(missing.withUnsafeBufferPointer { ProcessLauncher.kilobytes(after: ProcessLauncher.vmHWM, in: $0) } == nil)
        // This test process's own figures, read the way the host reads a function's.
        #expect((ProcessLauncher.peakMemoryMB(getpid()) ?? 0) > 0)
        #expect((ProcessLauncher.residentKilobytes(getpid()) ?? 0) > 0)
    }
}
