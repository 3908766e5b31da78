import Foundation
import FreeSWITCHESL
import NIOCore

/// What one client subscribed to with `event plain …` (FreeSWITCH's rules: names compare
/// case-insensitively, `ALL` means everything, words after `CUSTOM` are subclasses).
struct EventSubscription: Sendable {
    var all = false
    var names: Set<String> = []
    var subclasses: Set<String> = []

    /// Applies the words of one `event` command; returns how many keywords were valid.
    mutating func add(_ words: [Substring]) -> Int {
        var custom = false
        var valid = 0
        for word in words {
            if custom {
                subclasses.insert(String(word))
                continue
            }
            let name = word.uppercased()
            guard name.allSatisfy({ $0.isLetter || $0 == "_" }), !name.isEmpty else { continue }
            valid += 1
            if name == "ALL" { all = true }
            if name == "CUSTOM" { custom = true }
            names.insert(name)
        }
        return valid
    }

    func wants(_ event: ESLEvent) -> Bool {
        wants(name: event.name ?? "", subclass: event.subclass)
    }

    func wants(name: String, subclass: String?) -> Bool {
        if all { return true }
        guard names.contains(name) else { return false }
        if name == "CUSTOM", let subclass { return subclasses.contains(subclass) }
        return true
    }
}

/// One client socket.
struct SimulatedConnection {
    let channel: any Channel
    var authenticated = false
    var events: EventSubscription?
    var splitter: SeededGenerator
}

/// A live A leg, for `show channels` and `uuid_exists`/`uuid_kill`.
struct SimulatedChannel: Sendable {
    let uuid: String
    let name: String
    let number: String
    let faxFile: String
    let callerIDNumber: String
    let created: Double
    let order: Int
}

/// One originated call being played.
struct SimulatedCall {
    let identity: CallIdentity
    let generation: Int
    let scenario: ESLScenario
    var task: Task<Void, Never>?
    var waiter: CheckedContinuation<Void, Never>?
    var releases = 0
    var answered = false
    var resultSent = false
    var pages = 0
    var bLegUp = false
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
    var generation = 0
    var received: [String] = []
    var originateCount = 0
    var scenarios: [String: ESLScenario] = [:]
    var defaultScenario: ESLScenario = .success2Pages
    var pauseBeforeResult = false
    var eventInterval: Duration = .zero
    var ignoredCommands: [String] = []
    var frozen = false
    var splitWrites = true
    var seed: UInt64 = 0xE5_1F_A0
    var flood: Task<Void, Never>?
    var floodEventCount = 0

    /// Queues bytes for one client. Always through `execute`, so no NIO callback runs under the lock
    /// and the order of calls is the order on the wire. With `split`, the bytes go out in up to four
    /// writes cut at seeded random points.
    mutating func write(_ bytes: [UInt8], to id: Int, split: Bool = false, thenClose: Bool = false) {
        guard !frozen, var connection = connections[id] else { return }
        var pieces: [ByteBuffer] = []
        if split && splitWrites && bytes.count > 1 {
            let cutCount = Int.random(in: 0...3, using: &connection.splitter)
            let cuts = (0..<cutCount).map { _ in Int.random(in: 1..<bytes.count, using: &connection.splitter) }.sorted()
            var start = 0
            for cut in cuts where cut > start {
                pieces.append(ByteBuffer(bytes: bytes[start..<cut]))
                start = cut
            }
            pieces.append(ByteBuffer(bytes: bytes[start...]))
            connections[id] = connection
        } else {
            pieces = [ByteBuffer(bytes: bytes)]
        }
        let channel = connection.channel
        let queued = pieces
        channel.eventLoop.execute {
            for (index, piece) in queued.enumerated() {
                if thenClose && index == queued.count - 1 {
                    channel.writeAndFlush(piece).whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.writeAndFlush(piece, promise: nil)
                }
            }
        }
    }

    /// Writes an event frame to every authenticated client that subscribed to it.
    mutating func broadcast(_ event: ESLEvent) {
        guard !frozen else { return }
        var bytes: [UInt8]?
        for id in connections.keys.sorted() {
            guard let connection = connections[id], connection.authenticated, connection.events?.wants(event) == true else { continue }
            if bytes == nil { bytes = event.frame.encoded() }
            write(bytes ?? [], to: id, split: true)
        }
    }

    /// Emits an event of a call and keeps the channel table and the call's progress in step with it.
    mutating func emit(_ event: ESLEvent, callID: String) {
        track(event, callID: callID)
        broadcast(event)
    }

    mutating func track(_ event: ESLEvent, callID: String) {
        guard var call = calls[callID] else { return }
        let identity = call.identity
        switch (event.name, event.subclass) {
        case ("CHANNEL_ANSWER", _):
            if event.uniqueID == identity.aLeg {
                call.answered = true
                channels[identity.aLeg] = SimulatedChannel(
                    uuid: identity.aLeg,
                    name: event["Channel-Name"] ?? "",
                    number: identity.request.number,
                    faxFile: identity.request.faxFile,
                    callerIDNumber: identity.request.variable("origination_caller_id_number") ?? "0000000000",
                    created: Date().timeIntervalSince1970,
                    order: nextChannelOrder
                )
                nextChannelOrder += 1
            } else if event.uniqueID == identity.bLeg {
                call.bLegUp = true
            }
        case ("CHANNEL_HANGUP_COMPLETE", _):
            if event.uniqueID == identity.aLeg { channels[identity.aLeg] = nil }
            if event.uniqueID == identity.bLeg { call.bLegUp = false }
        case ("CUSTOM", "spandsp::txfaxpageresult"):
            call.pages = Int(event["fax-document-transferred-pages"] ?? "") ?? call.pages
        case ("CUSTOM", "spandsp::txfaxresult"):
            call.resultSent = true
        default:
            break
        }
        calls[callID] = call
    }
}

/// A deterministic generator (SplitMix64) for reproducible write splits.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
