import AsteriskAMI
import NIOCore
import NIOPosix
import Synchronization

extension AMISimulator {
    /// Starts listening on 127.0.0.1; `port` 0 picks a free port. Returns the port.
    ///
    /// Starting again with the port of a stopped run (`start(port: oldPort)`) models an Asterisk restart.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        if let running = self.port { return running }
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SimulatorConnectionHandler(simulator: self))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        let bound = listener.localAddress?.port ?? port
        state.withLock { state in
            state.listener = listener
            state.port = bound
        }
        return bound
    }

    /// Kills the server: closes the listener and every client socket at once.
    ///
    /// - Parameter clearingCalls: `true` (default) also forgets live calls, like an Asterisk restart;
    ///   `false` lets them play on (their events are lost while no client is logged in).
    ///   The AstDB survives either way. A running flood stops.
    public func stop(clearingCalls: Bool = true) async {
        let (listener, sockets, waiters, tasks):
            (
                (any Channel)?, [any Channel], [CheckedContinuation<Void, Never>], [Task<Void, Never>]
            ) = state.withLock { state in
                let listener = state.listener
                state.listener = nil
                state.port = nil
                let sockets = state.connections.values.map(\.channel)
                state.connections = [:]
                var waiters: [CheckedContinuation<Void, Never>] = []
                var tasks: [Task<Void, Never>] = []
                if let flood = state.flood { tasks.append(flood) }
                state.flood = nil
                if clearingCalls {
                    for call in state.calls.values {
                        if let waiter = call.waiter { waiters.append(waiter) }
                        if let task = call.task { tasks.append(task) }
                    }
                    state.calls = [:]
                    state.channels = [:]
                }
                return (listener, sockets, waiters, tasks)
            }
        for task in tasks { task.cancel() }
        for waiter in waiters { waiter.resume() }
        try? await listener?.close()
        for socket in sockets { try? await socket.close() }
    }

    /// Closes every client socket; the server keeps listening and calls go on.
    public func dropConnections() async {
        let sockets: [any Channel] = state.withLock { state in
            let sockets = state.connections.values.map(\.channel)
            state.connections = [:]
            return sockets
        }
        for socket in sockets { try? await socket.close() }
    }

    // MARK: Connection bookkeeping (called from the handler on the socket's event loop)

    func connectionOpened(_ channel: any Channel) -> Int? {
        state.withLock { state in
            guard state.listener != nil else { return nil }
            state.nextConnectionID += 1
            let id = state.nextConnectionID
            state.connections[id] = SimulatedConnection(channel: channel)
            state.write(ByteBuffer(string: "Asterisk Call Manager/11.0.0\r\n"), to: id)
            return id
        }
    }

    func connectionClosed(_ id: Int) {
        state.withLock { state in
            state.connections[id] = nil
        }
    }
}

/// Decodes one client's actions and hands them to the simulator.
final class SimulatorConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let simulator: AMISimulator
    private var decoder = AMIDecoder(keepsRawBytes: true)
    private var id: Int?

    init(simulator: AMISimulator) {
        self.simulator = simulator
    }

    func channelActive(context: ChannelHandlerContext) {
        id = simulator.connectionOpened(context.channel)
        if id == nil { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let id else { return }
        decoder.append(unwrapInboundIn(data))
        do {
            while let packet = try decoder.nextPacket() {
                guard case .message(let message) = packet.frame else { continue }
                simulator.handle(message, raw: String(decoding: packet.raw, as: UTF8.self), connection: id)
            }
        } catch {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let id { simulator.connectionClosed(id) }
        id = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
