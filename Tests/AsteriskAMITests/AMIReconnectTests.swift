import AMISimulator
import Logging
import Testing

@testable import AsteriskAMI

@Suite("AMIConnection reconnects", .serialized)
struct AMIReconnectTests {
    @Test("the first retry after a lost session comes within reconnectMin; no retry waits longer than reconnectMax")
    func backoffSchedule() {
        var configuration = AMIConfiguration(host: "127.0.0.1", port: 1, username: "u", secret: "s")
        configuration.reconnectMax = .seconds(2)
        for jitter in [0.0, 0.5, 0.999] {
            let connection = AMIConnection(configuration: configuration, logger: Logger(label: "test"), jitter: { jitter })
            #expect(connection.backoff(attempt: 0) <= configuration.reconnectMin)
            #expect(connection.backoff(attempt: 0) >= configuration.reconnectMin / 2)
            #expect((0..<40).allSatisfy { connection.backoff(attempt: $0) <= .seconds(2) })
        }
    }

    @Test("dropConnections gives .disconnected, then .connected again")
    func dropAndReconnect() async throws {
        try await withSession(SessionSettings(reconnectMax: .seconds(30))) { connection, log, simulator in
            await simulator.dropConnections()
            _ = try await log.wait("disconnected") { items in items.contains { if case .disconnected = $0 { true } else { false } } ? true : nil }
            // The retry is scheduled after reconnectMin (see backoffSchedule); the bound here only
            // keeps a broken build from hanging, it measures nothing.
            try await log.connected(2, timeout: .seconds(30))
            #expect(connection.state == .connected)
            let pong = try await connection.send(AMIAction("Ping"))
            #expect(pong.message["Ping"] == "Pong")
            let order = log.items.filter { if case .event = $0 { false } else { true } }
            #expect(order.count == 3)
            #expect(order.first == .connected)
            #expect(order.last == .connected)
        }
    }

    @Test("stop() then start(port: samePort) reconnects; the AstDB survives the restart")
    func restart() async throws {
        try await withSession { connection, log, simulator in
            let port = try #require(simulator.port)
            _ = try await connection.send(AMIAction("DBPut", [AMIField("Family", "faxbot"), AMIField("Key", "k"), AMIField("Val", "v")]))
            await simulator.stop()
            _ = try await log.wait("disconnected") { items in items.contains { if case .disconnected = $0 { true } else { false } } ? true : nil }
            await #expect(throws: AMIError.self) { try await connection.send(AMIAction("Ping")) }
            let restarted = try await simulator.start(port: port)
            #expect(restarted == port)
            try await log.connected(2, timeout: .seconds(5))
            let value = try await connection.send(AMIAction("DBGet", [AMIField("Family", "faxbot"), AMIField("Key", "k")]))
            #expect(value.events.first?["Val"] == "v")
        }
    }

    @Test("a frozen peer is detected by the keepalive Ping, and the session comes back when it thaws")
    func frozenPeer() async throws {
        try await withSession(SessionSettings(actionTimeout: .milliseconds(400), pingInterval: .milliseconds(300))) { connection, log, simulator in
            simulator.isFrozen = true
            let reason = try await log.wait("disconnected", timeout: .seconds(5)) { items in
                items.lazy.compactMap { if case .disconnected(let reason) = $0 { reason } else { nil } }.first
            }
            #expect(reason.contains("Ping"))
            #expect(connection.state != .connected)
            simulator.isFrozen = false
            try await log.connected(2, timeout: .seconds(5))
        }
    }

    @Test("a packet larger than maxMessageBytes drops the session, which then reconnects")
    func oversizedPacket() async throws {
        try await withSession(SessionSettings(maxMessageBytes: 64 * 1024)) { _, log, simulator in
            simulator.emit(raw: "Event: Huge\r\nData: " + String(repeating: "x", count: 2 << 20))
            let reason = try await log.wait("disconnected") { items in
                items.lazy.compactMap { if case .disconnected(let reason) = $0 { reason } else { nil } }.first
            }
            #expect(reason.contains("protocol error"))
            try await log.connected(2)
            #expect(!log.messages.contains { $0.event == "Huge" })
        }
    }

    @Test("garbage and a peer that closes mid-packet do not crash; the session comes back")
    func garbageAndTruncation() async throws {
        try await withSession { connection, log, simulator in
            simulator.emit(raw: "\u{0}\u{1}binary\u{7F} garbage without colon\r\n\r\nEvent: Fine\r\nKey: v\r\n\r\n")
            _ = try await log.event("the event after the garbage") { $0.event == "Fine" }
            simulator.emit(raw: "Event: Partial\r\nKey: cut here")
            await simulator.dropConnections()
            try await log.connected(2)
            #expect(!log.messages.contains { $0.event == "Partial" })
            #expect(connection.state == .connected)
        }
    }
}
