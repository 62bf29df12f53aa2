/// A failure of the store itself (as opposed to an ``APIError`` a management operation reports):
/// the data directory cannot be used, the database file is damaged, a stored document does not
/// decode. The message names the file or directory involved.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
