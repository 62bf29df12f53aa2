import NIOCore

/// Reads a function process's stdout+stderr pipe into the function's log (and the running
/// invocation's tail) on the host's event loop.
final class OutputHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let host: HostState
    private let worker: FunctionWorker

    init(host: HostState, worker: FunctionWorker) {
        self.host = host
        self.worker = worker
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        host.output(buffer.readableBytesView, from: worker)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
