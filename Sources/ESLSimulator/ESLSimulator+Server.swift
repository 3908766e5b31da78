import FreeSWITCHESL
import NIOCore
import NIOPosix
import Synchronization

extension ESLSimulator {
    /// Starts listening on 127.0.0.1; `port` 0 picks a free port. Returns the port.
    ///
    /// Starting again with the port of a stopped run (`start(port: oldPort)`) models a FreeSWITCH restart.
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
    /// - Parameter clearingCalls: `true` (default) also forgets live calls, like a FreeSWITCH
    ///   restart; `false` lets them play on (their events are lost while no client is subscribed).
    ///   A running flood stops.
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
            let splitter = SeededGenerator(state: state.seed &+ UInt64(id))
            state.connections[id] = SimulatedConnection(channel: channel, splitter: splitter)
            state.write(Array("Content-Type: auth/request\n\n".utf8), to: id)
            return id
        }
    }

    func connectionClosed(_ id: Int) {
        state.withLock { state in
            state.connections[id] = nil
        }
    }
}

/// Splits a client's bytes into commands: a first line, optional `Name: value` lines, a blank line.
struct CommandDecoder {
    private var buffer: [UInt8] = []
    private var scan = 0
    static let limit = 1 << 20

    mutating func append(_ bytes: ByteBuffer) {
        buffer.append(contentsOf: bytes.readableBytesView)
    }

    /// The next command's exact text (blank line included), `nil` when incomplete.
    /// Throws when a command grows past 1 MiB.
    mutating func next() throws -> String? {
        var index = max(scan, 1)
        while index < buffer.count {
            if buffer[index] == 10 {
                let previous = buffer[index - 1]
                let blank = previous == 10 || (previous == 13 && index >= 2 && buffer[index - 2] == 10)
                if blank {
                    let text = String(decoding: buffer[0...index], as: UTF8.self)
                    buffer.removeFirst(index + 1)
                    scan = 0
                    if text.allSatisfy({ $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) { return try next() }
                    return text
                }
            }
            index += 1
        }
        scan = buffer.count
        if buffer.count > Self.limit { throw CommandTooLarge() }
        return nil
    }

    struct CommandTooLarge: Error {}
}

/// Decodes one client's commands and hands them to the simulator.
final class SimulatorConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let simulator: ESLSimulator
    private var decoder = CommandDecoder()
    private var id: Int?

    init(simulator: ESLSimulator) {
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
            while let command = try decoder.next() {
                simulator.handle(command, connection: id)
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
