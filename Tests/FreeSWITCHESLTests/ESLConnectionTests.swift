import ESLSimulator
import FreeSWITCHESL
import Logging
import Testing

extension ESLTests {
    @Suite("ESLConnection against the simulator", .serialized)
    struct ESLConnectionTests {
        @Test("auth, then event plain with the contract's events; state .connected")
        func login() async throws {
            try await withSession { connection, _, simulator in
                #expect(connection.state == .connected)
                #expect(
                    simulator.received.prefix(2) == [
                        "auth ClueCon\n\n",
                        "event plain CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB CUSTOM spandsp::txfaxresult "
                            + "spandsp::rxfaxresult spandsp::txfaxpageresult spandsp::rxfaxpageresult\n\n",
                    ])
                #expect(simulator.connectedClientCount == 1)
            }
        }

        @Test("a wrong password ends in .authenticationFailed and is retried at the authenticationRetry pace")
        func wrongPassword() async throws {
            let settings = SessionSettings(password: "wrong", authenticationRetry: .milliseconds(300))
            try await withSession(settings, waitForConnected: false) { connection, log, simulator in
                try await eventually("authenticationFailed") { connection.state == .authenticationFailed("-ERR invalid") }
                try await eventually("a second auth") { simulator.received.filter { $0.hasPrefix("auth ") }.count >= 2 }
                #expect(!log.items.contains(.connected))
                #expect(!simulator.received.contains { $0.hasPrefix("event ") })
                await #expect(throws: ESLError.self) { try await connection.api("status") }
            }
        }

        @Test("commands before run() are .notConnected")
        func notConnected() async throws {
            let connection = ESLConnection(configuration: sessionConfiguration(port: 1), logger: Logger(label: "t"))
            await #expect(throws: ESLError.notConnected("not started")) { try await connection.api("status") }
        }

        @Test("api returns the api/response body")
        func apiStatus() async throws {
            try await withSession { connection, _, simulator in
                let status = try await connection.api("status")
                #expect(status.contains("FreeSWITCH (Version 1.10.12"))
                #expect(simulator.received.last == "api status\n\n")
                #expect(try await connection.api("uuid_exists 00000000-0000-4000-8000-000000000000") == "false")
                #expect(try await connection.api("no_such_api x") == "-ERR no_such_api Command not found!\n")
                #expect(try await connection.api("show channels as json") == "{\"row_count\":0}\n")
            }
        }

        @Test("concurrent api and bgapi callers each get their own reply (FIFO correlation)")
        func concurrentCommands() async throws {
            try await withSession { connection, _, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<60 {
                        group.addTask {
                            if index % 3 == 0 {
                                let job = "job-\(index)"
                                let confirmed = try await connection.bgapi("status", jobUUID: job)
                                #expect(confirmed == job)
                            } else {
                                let reply = try await connection.api("probe_\(index)")
                                #expect(reply == "-ERR probe_\(index) Command not found!\n")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(connection.state == .connected)
            }
        }

        @Test("bgapi sends the Job-UUID header and returns the confirmed Job-UUID; BACKGROUND_JOB follows")
        func bgapi() async throws {
            try await withSession { connection, log, simulator in
                let job = try await connection.bgapi("uuid_exists abc", jobUUID: "5e1f0000-0000-4000-8000-00000000b0b0")
                #expect(job == "5e1f0000-0000-4000-8000-00000000b0b0")
                #expect(simulator.received.last == "bgapi uuid_exists abc\nJob-UUID: 5e1f0000-0000-4000-8000-00000000b0b0\n\n")
                let event = try await log.event("BACKGROUND_JOB") { $0.jobUUID == job }
                #expect(event.body == "false")
                #expect(event["Job-Command"] == "uuid_exists")
                #expect(event["Job-Command-Arg"] == "abc")
            }
        }

        @Test("a -ERR command reply is .rejected with its text")
        func rejected() async throws {
            try await withSession { connection, _, _ in
                await #expect(throws: ESLError.rejected("-ERR command not found")) { try await connection.command("nosuchcommand") }
                let status = try await connection.api("status")
                #expect(status.contains("is ready"))
            }
        }

        @Test(
            "CR/LF in a command, Job-UUID or header is .invalidCommand and nothing is sent",
            arguments: ["status\nexit", "status\r", "", "status\n\nevent plain ALL"]
        )
        func injection(_ command: String) async throws {
            try await withSession { connection, _, simulator in
                let before = simulator.received.count
                await #expect(throws: ESLError.self) { try await connection.api(command) }
                await #expect(throws: ESLError.self) { try await connection.bgapi(command, jobUUID: "j") }
                await #expect(throws: ESLError.self) { try await connection.bgapi("status", jobUUID: "j\n\nexit") }
                await #expect(throws: ESLError.self) {
                    try await connection.command("filter", headers: ESLHeaders([ESLField("X", "a\nexit")]))
                }
                do throws(ESLError) {
                    _ = try await connection.api(command)
                } catch {
                    guard case .invalidCommand = error else { throw error }
                }
                #expect(simulator.received.count == before)
            }
        }

        @Test("a command without a reply times out; the session is re-established and usable")
        func timeout() async throws {
            try await withSession { connection, log, simulator in
                simulator.ignoredCommands = ["api status"]
                await #expect(throws: ESLError.timeout(command: "api status")) {
                    try await connection.api("status", timeout: .milliseconds(300))
                }
                let reason = try await disconnectReason(log)
                #expect(reason.contains("no reply to api status"))
                try await log.connected(2)
                simulator.ignoredCommands = []
                let status = try await connection.api("status")
                #expect(status.contains("is ready"))
            }
        }

        @Test("pending commands fail with .connectionLost when the socket drops")
        func pendingFailOnDrop() async throws {
            try await withSession { connection, log, simulator in
                simulator.ignoredCommands = ["api status"]
                let pending = Task { () -> ESLError? in
                    do throws(ESLError) {
                        _ = try await connection.api("status", timeout: .seconds(30))
                        return nil
                    } catch {
                        return error
                    }
                }
                try await eventually("the command reached the simulator") { simulator.received.last == "api status\n\n" }
                await simulator.dropConnections()
                #expect(await pending.value == .connectionLost)
                try await log.connected(2)
            }
        }

        @Test("exit: +OK bye, then the disconnect notice ends the session, which comes back")
        func exitCommand() async throws {
            try await withSession { connection, log, _ in
                let reply = try await connection.command("exit")
                #expect(reply["Reply-Text"] == "+OK bye")
                let reason = try await disconnectReason(log)
                #expect(reason == "disconnect notice: Disconnected, goodbye.")
                try await log.connected(2)
            }
        }
    }
}
