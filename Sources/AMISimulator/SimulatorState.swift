import AsteriskAMI
import NIOCore

/// One client socket.
struct SimulatedConnection {
    let channel: any Channel
    var loggedIn = false
    var eventsOn = true
    var challenge: String?
}

/// One originated call being played.
struct SimulatedCall {
    let id: String
    let generation: Int
    let request: OriginateRequest
    let scenario: AMIScenario
    let names: (tx: String, rx: String)
    var task: Task<Void, Never>?
    var waiter: CheckedContinuation<Void, Never>?
    var releases = 0
    var answered = false
    var resultReported = false
}

/// Everything the simulator knows, behind one lock.
struct SimulatorState {
    var listener: (any Channel)?
    var port: Int?
    var connections: [Int: SimulatedConnection] = [:]
    var nextConnectionID = 0
    var calls: [String: SimulatedCall] = [:]
    var channels: [String: SimulatedChannel] = [:]
    var nextChannelOrder = 0
    var callSequence = 0
    var generation = 0
    var database: [String: [String: String]] = [:]
    var received: [AMIMessage] = []
    var receivedText: [String] = []
    var originateCount = 0
    var scenarios: [String: AMIScenario] = [:]
    var defaultScenario: AMIScenario = .success2Pages
    var pauseBeforeResult = false
    var eventInterval: Duration = .zero
    var ignoredActions: Set<String> = []
    var frozen = false
    var flood: Task<Void, Never>?
    var floodEventCount = 0

    /// Queues bytes for one client. Always through `execute`, so no NIO callback runs under the lock
    /// and the order of calls is the order on the wire.
    func write(_ buffer: ByteBuffer, to id: Int, thenClose: Bool = false) {
        guard !frozen, let connection = connections[id] else { return }
        let channel = connection.channel
        channel.eventLoop.execute {
            if thenClose {
                channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.writeAndFlush(buffer, promise: nil)
            }
        }
    }

    /// Queues bytes for every logged-in client (with `eventsOnly`, only those with events on).
    func broadcast(_ buffer: ByteBuffer, eventsOnly: Bool = true) {
        guard !frozen else { return }
        for connection in connections.values where connection.loggedIn && (!eventsOnly || connection.eventsOn) {
            let channel = connection.channel
            channel.eventLoop.execute { channel.writeAndFlush(buffer, promise: nil) }
        }
    }

    /// Emits an event of a call and keeps the channel table in step with it.
    mutating func emit(_ event: AMIMessage, callID: String) {
        track(event, callID: callID)
        broadcast(ByteBuffer(string: event.encoded()))
    }

    mutating func track(_ event: AMIMessage, callID: String) {
        guard let name = event.event else { return }
        switch name {
        case "Newchannel":
            if let channel = SimulatedChannel(newchannel: event, callID: callID, order: nextChannelOrder) {
                nextChannelOrder += 1
                channels[channel.name] = channel
            }
        case "Hangup":
            if let channel = event["Channel"] { channels[channel] = nil }
        case "Newstate", "Newexten", "NewCallerid", "NewConnectedLine":
            if let channel = event["Channel"] { channels[channel]?.apply(event) }
        case "OriginateResponse":
            calls[callID]?.answered = true
        default:
            break
        }
    }
}
