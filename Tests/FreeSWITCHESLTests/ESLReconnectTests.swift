import ESLSimulator
import Logging
import Testing

@testable import FreeSWITCHESL

extension ESLTests {
    @Suite("ESLConnection reconnects", .serialized)
    struct ESLReconnectTests {
        @Test("the first retry comes within reconnectMin; no retry waits longer than reconnectMax (2 s by default)")
        func backoffSchedule() {
            let configuration = ESLConfiguration(host: "127.0.0.1", port: 1, password: "p")
            for jitter in [0.0, 0.5, 0.999] {
                let connection = ESLConnection(configuration: configuration, logger: Logger(label: "test"), jitter: { jitter })
                #expect(connection.backoff(attempt: 0) <= configuration.reconnectMin)
                #expect((0..<40).allSatisfy { connection.backoff(attempt: $0) <= .seconds(2) })
            }
        }

        @Test("dropConnections gives .disconnected, then .connected again")
        func dropAndReconnect() async throws {
            try await withSession(SessionSettings(reconnectMax: .seconds(30))) { connection, log, simulator in
                await simulator.dropConnections()
                _ = try await disconnectReason(log)
                // The retry is scheduled after reconnectMin (see backoffSchedule); this bound only
                // keeps a broken build from hanging.
                try await log.connected(2, timeout: .seconds(30))
                #expect(connection.state == .connected)
                let status = try await connection.api("status")
                #expect(status.contains("is ready"))
                let order = log.items.filter { if case .event = $0 { false } else { true } }
                #expect(order.count == 3)
                #expect(order.first == .connected)
                #expect(order.last == .connected)
                #expect(simulator.received.filter { $0.hasPrefix("event plain") }.count == 2)
            }
        }

        @Test("stop() then start(port: samePort) reconnects")
        func restart() async throws {
            try await withSession { connection, log, simulator in
                let port = try #require(simulator.port)
                await simulator.stop()
                _ = try await disconnectReason(log)
                await #expect(throws: ESLError.self) { try await connection.api("status") }
                let restarted = try await simulator.start(port: port)
                #expect(restarted == port)
                try await log.connected(2, timeout: .seconds(5))
                let status = try await connection.api("status")
                #expect(status.contains("is ready"))
            }
        }

        @Test("a frozen peer is detected by the keepalive, and the session comes back when it thaws")
        func frozenPeer() async throws {
            let settings = SessionSettings(commandTimeout: .milliseconds(400), pingInterval: .milliseconds(300))
            try await withSession(settings) { connection, log, simulator in
                simulator.isFrozen = true
                let reason = try await disconnectReason(log, timeout: .seconds(5))
                #expect(reason.contains("api status"))
                #expect(connection.state != .connected)
                simulator.isFrozen = false
                try await log.connected(2, timeout: .seconds(5))
            }
        }

        @Test("a frame larger than maxFrameBytes drops the session, which then reconnects")
        func oversizedFrame() async throws {
            try await withSession(SessionSettings(maxFrameBytes: 64 * 1024)) { _, log, simulator in
                simulator.emit(raw: Array("Content-Length: 10000000\nContent-Type: text/event-plain\n\n".utf8))
                let reason = try await disconnectReason(log)
                #expect(reason.contains("protocol error"))
                try await log.connected(2)
            }
        }

        @Test("garbage framing and a broken event body drop the session; no crash; it comes back", arguments: [0, 1, 2])
        func garbage(_ kind: Int) async throws {
            try await withSession { connection, log, simulator in
                let raw: String
                switch kind {
                case 0: raw = "\u{1}\u{2}binary garbage without colon\n\n"
                case 1: raw = "Content-Length: -3\nContent-Type: text/event-plain\n\n"
                default: raw = "Content-Length: 30\nContent-Type: text/event-plain\n\nEvent-Name: X\nContent-Length: 99\n\n"
                }
                simulator.emit(raw: Array(raw.utf8))
                let reason = try await disconnectReason(log)
                #expect(reason.contains("protocol error"))
                try await log.connected(2)
                #expect(connection.state == .connected)
            }
        }

        @Test("a rude rejection ends the session")
        func rudeRejection() async throws {
            try await withSession { _, log, simulator in
                simulator.emit(raw: Array("Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n".utf8))
                let reason = try await disconnectReason(log)
                #expect(reason == "rude rejection: Access Denied, go away.")
            }
        }

        @Test("a peer that closes mid-frame does not crash; the partial event is never delivered")
        func truncation() async throws {
            try await withSession { _, log, simulator in
                simulator.emit(headers: ["Event-Name": "BACKGROUND_JOB", "Job-UUID": "fine"], body: "+OK\n")
                _ = try await log.event("the whole event") { $0.jobUUID == "fine" }
                simulator.emit(
                    raw: Array("Content-Length: 500\nContent-Type: text/event-plain\n\nEvent-Name: BACKGROUND_JOB\nJob-UUID: partial\n".utf8))
                await simulator.dropConnections()
                try await log.connected(2)
                #expect(!log.events.contains { $0.jobUUID == "partial" })
            }
        }
    }
}
