import ESLSimulator
import FreeSWITCHESL
import NIOCore
import NIOPosix
import Testing

/// The contract's originate, as the daemon sends it.
func originateArgument(uuid: String, job: String, number: String, file: String) -> String {
    "{origination_uuid=\(uuid),faxbot_job=\(job),faxbot_attempt=1,fax_ident=+15551230000,fax_header=Faxbot test,"
        + "fax_enable_t38=true,fax_enable_t38_request=true,fax_use_ecm=true,ignore_early_media=true,originate_timeout=60,"
        + "origination_caller_id_number=+15551230000}sofia/gateway/faxbot/\(number) &txfax(\(file))"
}

extension ESLTests {
    @Suite("Simulator scenarios", .serialized)
    struct ESLScenarioTests {
        private static let numbers: [String: ESLScenario] = [
            "15550000001": .success2Pages, "15550000002": .receiverHangupMidFax, "15550000003": .receiverHangupBeforePage1,
            "15550000004": .busy, "15550000005": .busyRespond486, "15550000006": .noAnswer, "15550000007": .rejected,
            "15550000008": .unallocated, "15550000009": .hold,
        ]

        private static let fixtureIDs: [String] = ESLFixture.allCases.flatMap { fixture -> [String] in
            fixture.events.flatMap { [$0.uniqueID, $0.jobUUID, $0["variable_other_loopback_leg_uuid"]].compactMap { $0 } }
        }

        /// Originates with the contract's command and returns (uuid, Job-UUID).
        private func originate(
            _ connection: ESLConnection,
            number: String,
            job: String,
            file: String = "/var/spool/faxbot/out/job.tif"
        ) async throws -> (String, String) {
            let uuid = "0f0f0f0f-0000-4000-8000-\(number.suffix(12))"
            let jobUUID = "0a0a0a0a-0000-4000-8000-\(number.suffix(12))"
            let confirmed = try await connection.bgapi(
                "originate " + originateArgument(uuid: uuid, job: job, number: number, file: file),
                jobUUID: jobUUID
            )
            #expect(confirmed == jobUUID)
            return (uuid, jobUUID)
        }

        private func txResult(_ log: EventLog, _ uuid: String) async throws -> ESLEvent {
            try await log.event("txfaxresult of \(uuid)") { $0.subclass == "spandsp::txfaxresult" && $0.uniqueID == uuid }
        }

        @Test("success: answer, BACKGROUND_JOB +OK <uuid>, 2 pages, txfaxresult fax-success 1, ids substituted")
        func success() async throws {
            try await withSession(simulator: ESLSimulator(scenarios: Self.numbers)) { connection, log, simulator in
                let file = "/var/spool/faxbot/out/job 42 & co+.tif"
                let (uuid, job) = try await originate(connection, number: "15550000001", job: "aa01", file: file)
                let argument = originateArgument(uuid: uuid, job: "aa01", number: "15550000001", file: file)
                #expect(simulator.received.last == "bgapi originate \(argument)\nJob-UUID: \(job)\n\n")
                #expect(simulator.originateCount == 1)

                let background = try await log.event("BACKGROUND_JOB") { $0.jobUUID == job }
                #expect(background.body == "+OK \(uuid)\n")
                #expect(background["Job-Command"] == "originate")
                #expect(background["Job-Command-Arg"] == argument)
                let answer = try #require(log.events.first { $0.name == "CHANNEL_ANSWER" && $0.uniqueID == uuid })
                #expect(answer["variable_faxbot_job"] == "aa01")
                #expect(answer["variable_origination_uuid"] == uuid)
                #expect(answer["Caller-Destination-Number"] == "15550000001")
                let bLeg = try #require(answer["variable_other_loopback_leg_uuid"])
                #expect(bLeg != uuid)

                let result = try await txResult(log, uuid)
                #expect(result["fax-success"] == "1")
                #expect(result["fax-result-code"] == "0")
                #expect(result["fax-result-text"] == "OK")
                #expect(result["fax-document-transferred-pages"] == "2")
                #expect(result["fax-document-total-pages"] == "2")
                #expect(result["Hangup-Cause"] == "NORMAL_CLEARING")
                #expect(result["variable_fax_filename"] == file)
                #expect(result["variable_faxbot_attempt"] == "1")

                let hangup = try await log.event("A-leg hangup") { $0.name == "CHANNEL_HANGUP_COMPLETE" && $0.uniqueID == uuid }
                #expect(hangup["Hangup-Cause"] == "NORMAL_CLEARING")
                #expect(hangup["variable_hangup_cause_q850"] == "16")
                let events = log.events
                #expect(
                    events.filter { $0.uniqueID == bLeg }.map { $0.subclass ?? $0.name ?? "" } == [
                        "CHANNEL_ANSWER", "spandsp::rxfaxpageresult", "spandsp::rxfaxpageresult", "spandsp::rxfaxresult",
                        "CHANNEL_HANGUP_COMPLETE",
                    ])
                #expect(events.filter { $0.subclass == "spandsp::txfaxpageresult" }.count == 2)
                let leftovers = events.flatMap(\.headers.fields).filter { field in
                    Self.fixtureIDs.contains { field.value.contains($0) } || field.value.contains("2page.tif")
                }
                #expect(leftovers.isEmpty)
                try await eventually("channel gone") { simulator.liveChannelUUIDs.isEmpty }
                #expect(try await connection.api("uuid_exists \(uuid)") == "false")
            }
        }

        @Test(
            "answered failures report code 49 in txfaxresult",
            arguments: [("15550000002", "1", "2"), ("15550000003", "0", "2")]
        )
        func droppedCalls(number: String, pages: String, total: String) async throws {
            try await withSession(simulator: ESLSimulator(scenarios: Self.numbers)) { connection, log, _ in
                let (uuid, job) = try await originate(connection, number: number, job: "j\(number)")
                let result = try await txResult(log, uuid)
                #expect(result["fax-success"] == "0")
                #expect(result["fax-result-code"] == "49")
                #expect(result["fax-result-text"] == "The call dropped prematurely")
                #expect(result["fax-document-transferred-pages"] == pages)
                #expect(result["fax-document-total-pages"] == total)
                let background = try await log.event("BACKGROUND_JOB") { $0.jobUUID == job }
                #expect(background.body == "+OK \(uuid)\n")
                _ = try await log.event("A hangup") { $0.name == "CHANNEL_HANGUP_COMPLETE" && $0.uniqueID == uuid }
                if number == "15550000003" {
                    let rx = try await log.event("rxfaxresult") { $0.subclass == "spandsp::rxfaxresult" }
                    #expect(rx["fax-remote-station-id"] == nil)
                }
            }
        }

        @Test(
            "unanswered calls: BACKGROUND_JOB -ERR <cause>, hangup with the cause, no fax result",
            arguments: [
                ("15550000004", "USER_BUSY", "17", 2), ("15550000005", "NORMAL_CLEARING", "16", 2), ("15550000006", "NO_ANSWER", "19", 2),
                ("15550000007", "CALL_REJECTED", "21", 1), ("15550000008", "UNALLOCATED_NUMBER", "1", 1),
            ]
        )
        func unanswered(number: String, cause: String, q850: String, legs: Int) async throws {
            try await withSession(simulator: ESLSimulator(scenarios: Self.numbers)) { connection, log, simulator in
                let (uuid, job) = try await originate(connection, number: number, job: "u\(number)")
                let background = try await log.event("BACKGROUND_JOB") { $0.jobUUID == job }
                #expect(background.body == "-ERR \(cause)\n")
                let hangup = try await log.event("A hangup") { $0.name == "CHANNEL_HANGUP_COMPLETE" && $0.uniqueID == uuid }
                #expect(hangup["Hangup-Cause"] == cause)
                #expect(hangup["variable_hangup_cause_q850"] == q850)
                #expect(hangup["variable_faxbot_job"] == "u\(number)")
                _ = try await log.wait("\(legs) hangups") { items in
                    items.filter { if case .event(let event) = $0 { event.name == "CHANNEL_HANGUP_COMPLETE" } else { false } }.count >= legs
                        ? true : nil
                }
                #expect(!log.events.contains { $0.name == "CHANNEL_ANSWER" || $0.subclass?.hasPrefix("spandsp::") == true })
                #expect(simulator.liveChannelUUIDs.isEmpty)
            }
        }

        @Test("hold: answered and live until release; show channels, uuid_exists, then the success remainder")
        func hold() async throws {
            try await withSession(simulator: ESLSimulator(scenarios: Self.numbers)) { connection, log, simulator in
                let (uuid, job) = try await originate(connection, number: "15550000009", job: "h1")
                _ = try await log.event("answered") { $0.jobUUID == job }
                #expect(simulator.liveChannelUUIDs == [uuid])
                #expect(try await connection.api("uuid_exists \(uuid)") == "true")
                let json = try await connection.api("show channels as json")
                #expect(json.hasPrefix("{\"row_count\":1,\"rows\":[{\"uuid\":\"\(uuid)\""))
                #expect(json.contains("\"dest\":\"15550000009\""))
                #expect(!log.events.contains { $0.subclass?.hasPrefix("spandsp::") == true })
                #expect(simulator.release(uuid: uuid))
                let result = try await txResult(log, uuid)
                #expect(result["fax-success"] == "1")
                let afterAnswer = log.events.drop { $0.jobUUID != job }.dropFirst()
                #expect(afterAnswer.first?.subclass == "spandsp::rxfaxpageresult")
            }
        }

        @Test("uuid_kill on a held call: +OK, txfaxresult code 49, both legs NORMAL_CLEARING; then No such channel")
        func kill() async throws {
            try await withSession(simulator: ESLSimulator(scenarios: Self.numbers)) { connection, log, simulator in
                let (uuid, job) = try await originate(connection, number: "15550000009", job: "k1")
                _ = try await log.event("answered") { $0.jobUUID == job }
                #expect(try await connection.api("uuid_kill \(uuid)") == "+OK\n")
                let result = try await txResult(log, uuid)
                #expect(result["fax-success"] == "0")
                #expect(result["fax-result-code"] == "49")
                #expect(result["fax-document-transferred-pages"] == "0")
                #expect(result["variable_faxbot_job"] == "k1")
                let hangup = try await log.event("A hangup") { $0.name == "CHANNEL_HANGUP_COMPLETE" && $0.uniqueID == uuid }
                #expect(hangup["Hangup-Cause"] == "NORMAL_CLEARING")
                #expect(log.events.filter { $0.name == "CHANNEL_HANGUP_COMPLETE" }.count == 2)
                #expect(simulator.liveChannelUUIDs.isEmpty)
                #expect(try await connection.api("uuid_exists \(uuid)") == "false")
                #expect(try await connection.api("uuid_kill \(uuid)") == "-ERR No such channel!\n")
                #expect(try await connection.api("show channels as json") == "{\"row_count\":0}\n")
                #expect(!simulator.release(uuid: uuid))
            }
        }

        @Test("pauseBeforeResult: a result emitted while the socket is down is lost; uuid_exists tells the call is over")
        func resultWhileDisconnected() async throws {
            let simulator = ESLSimulator(scenarios: Self.numbers)
            simulator.pauseBeforeResult = true
            try await withSession(simulator: simulator) { connection, log, simulator in
                let (uuid, _) = try await originate(connection, number: "15550000001", job: "p1")
                _ = try await log.event("page 2") { $0.subclass == "spandsp::txfaxpageresult" && $0["fax-document-transferred-pages"] == "2" }
                await simulator.dropConnections()
                #expect(simulator.release(uuid: uuid))
                try await eventually("call over") { simulator.liveChannelUUIDs.isEmpty }
                try await log.connected(2)
                #expect(try await connection.api("uuid_exists \(uuid)") == "false")
                #expect(!log.events.contains { $0.subclass == "spandsp::txfaxresult" })
            }
        }

        @Test("stop() clears live calls, like a FreeSWITCH restart")
        func restartClearsCalls() async throws {
            try await withSession(simulator: ESLSimulator(scenarios: Self.numbers)) { connection, log, simulator in
                let (uuid, job) = try await originate(connection, number: "15550000009", job: "r1")
                _ = try await log.event("answered") { $0.jobUUID == job }
                let port = try #require(simulator.port)
                await simulator.stop()
                try await simulator.start(port: port)
                try await log.connected(2, timeout: .seconds(5))
                #expect(try await connection.api("uuid_exists \(uuid)") == "false")
                #expect(!simulator.release(uuid: uuid))
            }
        }

        @Test("the simulator's raw protocol: -ERR before auth, -ERR invalid then disconnect notice and close")
        func rawProtocol() async throws {
            let simulator = ESLSimulator()
            let port = try await simulator.start()
            for (input, expected) in [
                ("status\n\nauth wrong\n\n", ["auth/request", "-ERR command not found", "-ERR invalid", "disconnect"]),
                ("auth ClueCon\n\nexit\n\n", ["auth/request", "+OK accepted", "+OK bye", "disconnect"]),
            ] {
                let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port) { channel in
                        channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                    }
                let messages = try await client.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: input))
                    var decoder = ESLDecoder()
                    var messages: [ESLMessage] = []
                    for try await buffer in inbound {
                        decoder.append(buffer)
                        while let frame = try decoder.next() { messages.append(try ESLMessage(frame)) }
                    }
                    return messages
                }
                let summary = messages.map { message -> String in
                    switch message {
                    case .authRequest: return "auth/request"
                    case .commandReply(let headers): return headers["Reply-Text"] ?? "?"
                    case .disconnectNotice: return "disconnect"
                    default: return "other"
                    }
                }
                #expect(summary == expected)
            }
            await simulator.stop()
        }
    }
}
