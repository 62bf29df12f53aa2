import NIOCore
import NIOWebSocket
import Testing

@testable import PorticoDataPlane

/// The checks on a received close frame's payload (RFC 6455 §5.5.1, §7.4): which codes an endpoint may
/// send, the one-byte payload, and a reason that must be UTF-8.
struct WebSocketClosePayloadTests {
    static func payload(_ code: UInt16?, _ reason: [UInt8] = []) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let code { buffer.writeInteger(code) }
        buffer.writeBytes(reason)
        return buffer
    }

    @Test func emptyPayloadAndAssignedCodesAreAccepted() {
        #expect(WebSocketConnection.closePayloadProblem(ByteBuffer()) == nil)
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] {
            #expect(WebSocketConnection.closePayloadProblem(Self.payload(code, Array("bye é".utf8))) == nil, "code \(code)")
        }
    }

    @Test func codesNoEndpointMaySendAreProtocolErrors() {
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            #expect(WebSocketConnection.closePayloadProblem(Self.payload(code))?.code == .protocolError, "code \(code)")
        }
    }

    @Test func oneBytePayloadIsAProtocolError() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(3))
        #expect(WebSocketConnection.closePayloadProblem(buffer)?.code == .protocolError)
    }

    @Test func reasonThatIsNotUtf8Is1007() {
        // A UTF-16 surrogate encoded as UTF-8 (ED A0 80), and a sequence cut short.
        #expect(WebSocketConnection.closePayloadProblem(Self.payload(1000, [0xED, 0xA0, 0x80]))?.code == .dataInconsistentWithMessage)
        #expect(WebSocketConnection.closePayloadProblem(Self.payload(1000, [0x61, 0xCE]))?.code == .dataInconsistentWithMessage)
    }
}
