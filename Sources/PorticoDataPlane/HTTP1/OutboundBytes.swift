import NIOCore

/// Bytes waiting to be written to one channel, gathered in one buffer that is reused from write
/// to write. Writing a response head and a small body as one buffer saves a write per part, and
/// recycling the buffer (once the channel has let go of the last one written) saves allocating
/// one per message.
struct OutboundBytes {
    /// Bodies up to this size are copied in with the head; larger ones are written as they are.
    static let copyLimit = 16 * 1024

    private var buffer: ByteBuffer

    init(allocator: ByteBufferAllocator) {
        buffer = allocator.buffer(capacity: 1024)
    }

    var isEmpty: Bool { buffer.readableBytes == 0 }

    /// Appends with `body`. The storage is reused when no earlier write still holds it.
    mutating func append(_ body: (inout ByteBuffer) -> Void) {
        if buffer.readableBytes == 0, buffer.writerIndex > 0 { buffer.clear() }
        body(&buffer)
    }

    /// Adds a part of a body, framed as a chunk when `chunked`. A large part is not copied: what was
    /// gathered so far, then the part itself, go to `write`.
    mutating func appendBody(_ part: ByteBuffer, chunked: Bool, write: (ByteBuffer) -> Void) {
        guard part.readableBytes > 0 else { return }
        if chunked { append { $0.writeChunkHeader(part.readableBytes) } }
        if part.readableBytes <= Self.copyLimit {
            append { $0.writeImmutableBuffer(part) }
        } else {
            if let pending = take() { write(pending) }
            write(part)
        }
        if chunked { append { $0.writeChunkTrailer() } }
    }

    /// The bytes gathered so far, for writing; afterwards the buffer is empty.
    mutating func take() -> ByteBuffer? {
        guard buffer.readableBytes > 0 else { return nil }
        let pending = buffer
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return pending
    }
}
