#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an ``AccessLogWriter`` could not be created.
public struct AccessLogWriterError: Error, CustomStringConvertible, Hashable {
    private enum Code: Hashable {
        case cannotOpen(path: String, errorNumber: Int32)
    }

    private let code: Code

    static func cannotOpen(path: String, errorNumber: Int32) -> Self {
        Self(code: .cannotOpen(path: path, errorNumber: errorNumber))
    }

    /// The `errno` the system reported.
    public var errorNumber: Int32 {
        switch code {
        case .cannotOpen(_, let errorNumber): return errorNumber
        }
    }

    public var description: String {
        switch code {
        case .cannotOpen(let path, let errorNumber):
            return "cannot open access log file '\(path)': \(String(cString: strerror(errorNumber)))"
        }
    }
}
