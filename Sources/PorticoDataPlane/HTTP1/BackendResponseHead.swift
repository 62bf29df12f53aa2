import NIOCore
import NIOHTTP1

/// A backend's response head as received: the bytes of the status line and header lines, and
/// where each header's name and value lie in them. Forwarding a header is then a copy of bytes;
/// no `String` is made unless a response mapping asks for one (``nioHead``).
struct BackendResponseHead {
    /// Offsets of one header line's name and value (value without surrounding spaces) in `bytes`.
    struct Field {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    /// How the body that follows is delimited (RFC 9112 §6.3).
    enum Framing: Equatable {
        /// No body: a response to `HEAD`, or a 204 or 304.
        case none
        case length(Int)
        case chunked
        /// Neither length nor chunked: the body ends when the backend closes the connection.
        case untilClose
    }

    var status: Int
    var minorVersion: Int
    /// The whole head (status line, header lines, blank line), readable from index 0.
    var bytes: ByteBuffer
    var fields: [Field]
    var framing: Framing
    /// Whether the connection may carry another exchange after this response.
    var keepAlive: Bool
    /// `Connection` names headers beyond `close`/`keep-alive`; those are hop-by-hop too.
    var connectionNamesHeaders: Bool

    /// Calls `body` with the raw name and value bytes of each header, in order.
    func forEachField(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeReadableBytes { raw in
            for field in fields {
                body(
                    UnsafeRawBufferPointer(rebasing: raw[Int(field.nameStart)..<Int(field.nameEnd)]),
                    UnsafeRawBufferPointer(rebasing: raw[Int(field.valueStart)..<Int(field.valueEnd)]))
            }
        }
    }

    /// Whether a `Content-Length` the backend sent describes the body that follows. With chunked
    /// framing (which wins over a length, RFC 9112 §6.3) or a body ended by the close, it does not,
    /// and forwarding it next to the gateway's own framing would let the client misread the body.
    var framingUsesContentLength: Bool {
        switch framing {
        case .chunked, .untilClose: false
        case .none, .length: true
        }
    }

    /// The header section as a `String`-based `HTTPResponseHead`, for response parameter mapping
    /// (the slow path: only routes with response mappings pay for it).
    var nioHead: HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        let lengthIsFraming = framingUsesContentLength
        forEachField { name, value in
            if !lengthIsFraming, HeaderName.classify(name) == .contentLength { return }
            headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        }
        return HTTPResponseHead(version: .init(major: 1, minor: minorVersion), status: .init(statusCode: status), headers: headers)
    }

    /// The values of `Connection` (lower-cased tokens), for dropping the headers it names.
    var connectionTokens: [String] {
        var tokens: [String] = []
        forEachField { name, value in
            guard HeaderName.classify(name) == .connection else { return }
            for token in String(decoding: value, as: UTF8.self).split(separator: ",") {
                tokens.append(token.trimmingSpaces().lowercased())
            }
        }
        return tokens
    }
}
