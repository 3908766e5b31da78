import AMISimulator
import AsteriskAMI
import Logging
import Testing

@Suite("AMIConnection against the simulator", .serialized)
struct AMIConnectionTests {
    @Test("plain login sends Username/Secret/Events and reaches .connected")
    func plainLogin() async throws {
        try await withSession { connection, _, simulator in
            #expect(connection.state == .connected)
            let login = try #require(simulator.received.first { $0["Action"] == "Login" })
            #expect(login["Username"] == "faxbot")
            #expect(login["Secret"] == "faxbot-secret")
            #expect(login["Events"] == "on")
            #expect(simulator.loggedInClientCount == 1)
        }
    }

    @Test("MD5 login uses Challenge and never puts the secret on the wire")
    func md5Login() async throws {
        try await withSession(SessionSettings(auth: .md5)) { connection, _, simulator in
            #expect(connection.state == .connected)
            let actions = simulator.received.compactMap { $0["Action"] }
            #expect(actions.prefix(2) == ["Challenge", "Login"])
            let login = try #require(simulator.received.first { $0["Action"] == "Login" })
            #expect(login["AuthType"] == "MD5")
            #expect(login["Key"]?.count == 32)
            #expect(!simulator.receivedText.joined().contains("faxbot-secret"))
        }
    }

    @Test("a wrong secret ends in .authenticationFailed and keeps retrying")
    func wrongSecret() async throws {
        try await withSession(SessionSettings(secret: "wrong", reconnectMax: .milliseconds(300)), waitForLogin: false) { connection, log, simulator in
            try await eventually("authenticationFailed") { connection.state == .authenticationFailed("Authentication failed") }
            try await eventually("a second login attempt") {
                simulator.received.filter { $0["Action"] == "Login" }.count >= 2
            }
            #expect(!log.items.contains(.connected))
            await #expect(throws: AMIError.self) { try await connection.send(AMIAction("Ping")) }
        }
    }

    @Test("MD5 with a wrong secret is refused too")
    func wrongSecretMD5() async throws {
        try await withSession(SessionSettings(auth: .md5, secret: "wrong"), waitForLogin: false) { connection, _, _ in
            try await eventually("authenticationFailed") { connection.state == .authenticationFailed("Authentication failed") }
        }
    }

    @Test("sending before run() is .notConnected")
    func notConnected() async throws {
        let connection = AMIConnection(configuration: sessionConfiguration(port: 1), logger: Logger(label: "t"))
        await #expect(throws: AMIError.notConnected("not started")) { try await connection.send(AMIAction("Ping")) }
    }

    @Test("concurrent actions are correlated by ActionID")
    func concurrentSends() async throws {
        try await withSession { connection, _, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let put = AMIAction("DBPut", [AMIField("Family", "test"), AMIField("Key", "k\(index)"), AMIField("Val", "v\(index)")])
                        _ = try await connection.send(put)
                    }
                }
                try await group.waitForAll()
            }
            let values = try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let id = "get-\(index)"
                        let response = try await connection.send(
                            AMIAction("DBGet", [AMIField("Family", "test"), AMIField("Key", "k\(index)")]),
                            actionID: id
                        )
                        #expect(response.message.actionID == id)
                        return (index, response.events.first?["Val"], response.events.first?.actionID)
                    }
                }
                var values: [(Int, String?, String?)] = []
                for try await value in group { values.append(value) }
                return values
            }
            #expect(values.count == 40)
            for (index, value, actionID) in values {
                #expect(value == "v\(index)")
                #expect(actionID == "get-\(index)")
            }
        }
    }

    @Test("EventList actions collect their items; DBGet of a missing key is rejected")
    func eventLists() async throws {
        let simulator = AMISimulator(defaultScenario: .hold)
        try await withSession(simulator: simulator) { connection, log, _ in
            let empty = try await connection.send(AMIAction("CoreShowChannels"))
            #expect(empty.isSuccess)
            #expect(empty.events.isEmpty)
            #expect(empty.completion?["ListItems"] == "0")

            _ = try await connection.send(originate(number: "15551234567", job: "held"), actionID: "fbo-held-1")
            _ = try await log.event("answered") { $0.event == "OriginateResponse" }
            let channels = try await connection.send(AMIAction("CoreShowChannels"))
            #expect(channels.message["EventList"] == "start")
            #expect(channels.events.map { $0.event } == ["CoreShowChannel", "CoreShowChannel"])
            #expect(channels.events.map { $0["Uniqueid"] } == ["fbtx-held-1", "fbtx-held-1-rx"])
            #expect(channels.events.allSatisfy { $0["Linkedid"] == "fbtx-held-1" && $0["ChannelState"] == "6" })
            #expect(channels.completion?.event == "CoreShowChannelsComplete")
            #expect(channels.completion?["ListItems"] == "2")

            let status = try await connection.send(AMIAction("Status"))
            #expect(status.events.count == 2)
            #expect(status.completion?.event == "StatusComplete")

            _ = try await connection.send(AMIAction("DBPut", [AMIField("Family", "faxbot"), AMIField("Key", "x"), AMIField("Val", "SUCCESS:2:")]))
            let got = try await connection.send(AMIAction("DBGet", [AMIField("Family", "faxbot"), AMIField("Key", "x")]))
            #expect(got.events.count == 1)
            #expect(got.events.first?["Val"] == "SUCCESS:2:")
            #expect(got.completion?.event == "DBGetComplete")
            _ = try await connection.send(AMIAction("DBDel", [AMIField("Family", "faxbot"), AMIField("Key", "x")]))
            await #expect(throws: AMIError.rejected("Database entry not found")) {
                try await connection.send(AMIAction("DBGet", [AMIField("Family", "faxbot"), AMIField("Key", "x")]))
            }
            #expect(simulator.release(channelID: "fbtx-held-1"))
        }
    }

    @Test("an unanswered action times out and the session stays usable")
    func actionTimeout() async throws {
        try await withSession { connection, _, simulator in
            simulator.ignoredActions = ["Ping"]
            await #expect(throws: AMIError.timeout(action: "Ping")) {
                try await connection.send(AMIAction("Ping"), timeout: .milliseconds(300))
            }
            simulator.ignoredActions = []
            let pong = try await connection.send(AMIAction("Ping"))
            #expect(pong.message["Ping"] == "Pong")
            #expect(connection.state == .connected)
        }
    }

    @Test("unknown actions are rejected like Asterisk does")
    func unknownAction() async throws {
        try await withSession { connection, _, _ in
            do throws(AMIError) {
                _ = try await connection.send(AMIAction("NoSuchThing"))
                Issue.record("expected a rejection")
            } catch {
                guard case .rejected(let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(message.hasPrefix("Invalid/unknown command"))
            }
        }
    }

    @Test("pending actions fail with .connectionLost when the socket drops")
    func pendingFailOnDrop() async throws {
        try await withSession { connection, log, simulator in
            simulator.ignoredActions = ["Ping"]
            let pending = Task { () -> AMIError? in
                do throws(AMIError) {
                    _ = try await connection.send(AMIAction("Ping"), timeout: .seconds(30))
                    return nil
                } catch {
                    return error
                }
            }
            try await eventually("the Ping reached the simulator") { simulator.received.contains { $0["Action"] == "Ping" } }
            await simulator.dropConnections()
            #expect(await pending.value == .connectionLost)
            try await log.connected(2)
        }
    }
}

func originate(number: String, job: String, attempt: Int = 1, file: String = "/var/spool/faxbot/out/job.tif") -> AMIAction {
    AMIAction(
        "Originate",
        [
            AMIField("Channel", "PJSIP/\(number)@trunk"), AMIField("Context", "faxbot-tx"), AMIField("Exten", "s"),
            AMIField("Priority", "1"), AMIField("Timeout", "60000"), AMIField("CallerID", "\"Faxbot Station\" <15551230000>"),
            AMIField("Async", "true"), AMIField("ChannelId", "fbtx-\(job)-\(attempt)"), AMIField("Variable", "FAXBOT_JOB=\(job)"),
            AMIField("Variable", "FAXBOT_ATTEMPT=\(attempt)"), AMIField("Variable", "FAXBOT_FILE=\(file)"),
            AMIField("Variable", "FAXBOT_HEADER=Faxbot test"), AMIField("Variable", "FAXBOT_STATION_ID=+15551230000"),
            AMIField("Variable", "FAXBOT_ECM=yes"), AMIField("Variable", "FAXBOT_TIMEOUT=900"),
        ]
    )
}
