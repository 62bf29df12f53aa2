import Dispatch
import Foundation
import Testing

@testable import PorticoObservability

struct AccessLogWriterTests {
    private static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("portico-access-\(UUID().uuidString).log").path
    }

    private static func lines(at path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.isEmpty || text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func concurrentWritersLoseAndInterleaveNothing() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A small threshold so that many batches are written while the writers are still going.
        let writer = try AccessLogWriter(
            destination: .file(path: path),
            configuration: .init(flushThresholdBytes: 4096, maxBufferedBytes: 64 * 1024 * 1024)
        )
        let threads = 8
        let linesPerThread = 5000
        let padding = String(repeating: "x", count: 100)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var buffer: [UInt8] = []
            for index in 0..<linesPerThread {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: "{\"thread\":\(thread),\"line\":\(index),\"pad\":\"\(padding)\"}\n".utf8)
                writer.write(buffer)
            }
        }
        writer.close()

        let lines = try Self.lines(at: path)
        #expect(lines.count == threads * linesPerThread)
        var seen = Set<String>()
        var nextLinePerThread = [Int](repeating: 0, count: threads)
        for line in lines {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "broken line: \(line)")
            let thread = try #require(object["thread"] as? Int)
            let index = try #require(object["line"] as? Int)
            #expect(object["pad"] as? String == padding)
            // Lines of one thread stay in the order that thread wrote them.
            #expect(index == nextLinePerThread[thread])
            nextLinePerThread[thread] = index + 1
            seen.insert(line)
        }
        #expect(seen.count == threads * linesPerThread)
        #expect(writer.droppedLineCount == 0)
        #expect(writer.writeErrorCount == 0)
    }

    @Test func closeWritesWhatIsQueued() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Neither the size nor the interval would trigger a write during the test.
        let writer = try AccessLogWriter(
            destination: .file(path: path),
            configuration: .init(flushThresholdBytes: 1 << 20, flushIntervalMilliseconds: 3_600_000)
        )
        writer.write(Array("one\n".utf8))
        writer.write(Array("two".utf8))  // the newline is added
        writer.write([])  // ignored
        writer.close()
        #expect(try Self.lines(at: path) == ["one", "two"])
        writer.close()  // idempotent
    }

    @Test func flushWritesWhatIsQueuedAndKeepsGoing() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try AccessLogWriter(
            destination: .file(path: path),
            configuration: .init(flushThresholdBytes: 1 << 20, flushIntervalMilliseconds: 3_600_000)
        )
        writer.write(Array("first\n".utf8))
        writer.flush()
        #expect(try Self.lines(at: path) == ["first"])
        writer.write(Array("second\n".utf8))
        writer.flush()
        #expect(try Self.lines(at: path) == ["first", "second"])
        writer.close()
    }

    @Test func appendsToAnExistingFile() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let writer = try AccessLogWriter(destination: .file(path: path))
        writer.write(Array("new\n".utf8))
        writer.close()
        #expect(try Self.lines(at: path) == ["old", "new"])
    }

    @Test func releasingTheWriterClosesIt() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try AccessLogWriter(
                destination: .file(path: path),
                configuration: .init(flushThresholdBytes: 1 << 20, flushIntervalMilliseconds: 3_600_000)
            )
            writer.write(Array("bye\n".utf8))
        }
        #expect(try Self.lines(at: path) == ["bye"])
    }

    @Test func linesBeyondTheBufferLimitAreDroppedAndCounted() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try AccessLogWriter(
            destination: .file(path: path),
            configuration: .init(flushThresholdBytes: 1 << 20, maxBufferedBytes: 100, flushIntervalMilliseconds: 3_600_000)
        )
        let line = Array((String(repeating: "y", count: 29) + "\n").utf8)  // 30 bytes: three fit in 100
        for _ in 0..<10 {
            writer.write(line)
        }
        #expect(writer.droppedLineCount == 7)
        writer.close()
        writer.write(line)  // after close: dropped too
        #expect(writer.droppedLineCount == 8)
        #expect(try Self.lines(at: path).count == 3)
    }

    @Test func writeFailuresAreCountedNotFatal() throws {
        // Every write to /dev/full fails with ENOSPC.
        guard FileManager.default.fileExists(atPath: "/dev/full") else {
            return
        }
        let writer = try AccessLogWriter(destination: .file(path: "/dev/full"))
        writer.write(Array("lost\n".utf8))
        writer.flush()
        #expect(writer.writeErrorCount == 1)
        writer.write(Array("lost again\n".utf8))
        writer.close()
        #expect(writer.writeErrorCount == 2)
    }

    @Test func aClosedPipeIsAWriteErrorNotASignal() throws {
        // What happens when standard output is a pipe whose reader went away: without SIGPIPE blocked on the
        // writing thread, the process would die here.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        #expect(close(ends[0]) == 0)
        let flusher = AccessLogFlusher(
            descriptor: ends[1],
            ownsDescriptor: true,
            destinationName: "a closed pipe",
            configuration: .init()
        )
        flusher.start()
        flusher.enqueue(Array("nobody reads this\n".utf8))
        flusher.flush()
        #expect(flusher.writeErrorCount == 1)
        flusher.close()
    }

    @Test func unopenableFileThrows() {
        let path = "/nonexistent-\(UUID().uuidString)/access.log"
        let error = #expect(throws: AccessLogWriterError.self) {
            _ = try AccessLogWriter(destination: .file(path: path))
        }
        #expect(error?.errorNumber == ENOENT)
        #expect(error?.description.contains(path) == true)
    }

    @Test func destinationsAreHashable() {
        let destinations: Set<AccessLogDestination> = [.standardOutput, .file(path: "/a"), .file(path: "/a"), .standardOutput]
        #expect(destinations.count == 2)
    }
}
