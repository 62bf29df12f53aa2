import Foundation

/// Runs parsing work on a thread of its own with a large stack, and waits for it.
///
/// Yams composes a document by recursion, one level per nesting level, and libyaml allows 1,000
/// levels. In a release build that takes a few megabytes of stack, more than a secondary thread
/// has on some platforms (512 KB on macOS), and freeing the deep tree recurses as deeply. Running
/// the parse, and dropping its tree, on a thread with a generous stack keeps any input from
/// overflowing the caller's stack.
enum LargeStackThread {
    /// Reserved, not committed: the pages are only touched as deep as a document goes.
    static let stackSize = 64 << 20

    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Result<Value, APIError>) -> Result<Value, APIError> {
        let outcome = Outcome<Value>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.result = work()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return outcome.result ?? .failure(.badRequest("Invalid OpenAPI input."))
    }

    /// Runs a definition reader on the large stack and hands back its value or its error.
    static func read<Value: Sendable>(_ read: @escaping @Sendable () throws(APIError) -> Value) throws(APIError) -> Value {
        try run { () -> Result<Value, APIError> in Result { () throws(APIError) -> Value in try read() } }.get()
    }
}

/// The result handed from the parsing thread to the waiting one; the semaphore orders the write
/// before the read.
private final class Outcome<Value: Sendable>: @unchecked Sendable {
    var result: Result<Value, APIError>?
}
