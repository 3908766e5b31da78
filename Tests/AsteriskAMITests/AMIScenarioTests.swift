import AMISimulator
import AsteriskAMI
import NIOCore
import NIOPosix
import Testing

@Suite("Simulator scenarios", .serialized)
struct AMIScenarioTests {
    private static let numbers: [String: AMIScenario] = [
        "15550000001": .success2Pages, "15550000002": .receiverHangup, "15550000003": .silentReceiver,
        "15550000004": .missingFile, "15550000005": .busy, "15550000006": .noAnswer, "15550000007": .congestion,
        "15550000008": .failed, "15550000009": .hold,
    ]

    private func result(_ log: EventLog, job: String) async throws -> AMIMessage {
        try await log.event("FaxbotResult for \(job)") { $0["UserEvent"] == "FaxbotResult" && $0["Job"] == job }
    }

    @Test("success: OriginateResponse Success, then FaxbotResult SUCCESS with 2 pages and ids substituted")
    func success() async throws {
        try await withSession(simulator: AMISimulator(scenarios: Self.numbers)) { connection, log, simulator in
            let action = originate(number: "15550000001", job: "aa01", file: "/var/spool/faxbot/out/aa01.tif")
            let queued = try await connection.send(action, actionID: "fbo-aa01-1")
            #expect(queued.message["Message"] == "Originate successfully queued")
            #expect(simulator.receivedText.last == (try action.encoded(actionID: "fbo-aa01-1")))
            #expect(simulator.originateCount == 1)

            let answered = try await log.event("OriginateResponse") { $0.event == "OriginateResponse" }
            #expect(answered.actionID == "fbo-aa01-1")
            #expect(answered["Response"] == "Success")
            #expect(answered["Reason"] == "4")
            #expect(answered["Uniqueid"] == "fbtx-aa01-1")
            let fax = try await result(log, job: "aa01")
            #expect(fax["Attempt"] == "1")
            #expect(fax["FaxStatus"] == "SUCCESS")
            #expect(fax["FaxPages"] == "2")
            #expect(fax["FaxError"] == "")
            #expect(fax["FaxBitrate"] == "14400")
            #expect(fax["FaxResolution"] == "8031x7700")
            #expect(fax["RemoteStationID"] == "ASTERISK-RX")
            #expect(fax["Uniqueid"] == "fbtx-aa01-1")
            #expect(fax["Linkedid"] == "fbtx-aa01-1")
            #expect(fax["HangupCause"] == "16")
            #expect(fax["Side"] == nil)
            #expect(fax["Channel"] == "PJSIP/trunk-00000001")

            let hangup = try await log.event("tx Hangup") { $0.event == "Hangup" && $0["Uniqueid"] == "fbtx-aa01-1" }
            #expect(hangup["Cause"] == "16")
            _ = try await log.event("rx Hangup") { $0.event == "Hangup" && $0["Uniqueid"] == "fbtx-aa01-1-rx" }
            let messages = log.messages
            let rxResult = messages.first { $0["UserEvent"] == "FaxResult" }
            #expect(rxResult?["Side"] == "rx")
            #expect(messages.filter { $0["UserEvent"] == "FaxbotResult" }.count == 1)
            let fileVar = messages.first { $0.event == "VarSet" && $0["Variable"] == "FAXFILE" }
            #expect(fileVar?["Value"] == "/var/spool/faxbot/out/aa01.tif")
            let leftovers = messages.flatMap(\.fields).filter {
                $0.value.contains("faxtx-") || $0.value.contains("faxrx-") || $0.value.contains("test2p.tif")
            }
            #expect(leftovers.isEmpty)
            #expect(messages.contains { $0["Context"] == "faxbot-tx" })
            #expect(simulator.databaseValue(family: "faxbot", key: "fbtx-aa01-1") == "SUCCESS:2:")
            try await eventually("channels gone") { simulator.liveChannels.isEmpty }
            let channels = try await connection.send(AMIAction("CoreShowChannels"))
            #expect(channels.events.isEmpty)
        }
    }

    @Test(
        "fixture failures report the recorded FaxStatus/FaxError",
        arguments: [
            ("15550000002", "FAILED", "The call dropped prematurely", "16"),
            ("15550000003", "FAILED", "Timed out waiting for initial communication", "16"),
            ("15550000004", "FAILED", "FILE_ERROR", "0"),
        ]
    )
    func fixtureFailures(number: String, status: String, error: String, cause: String) async throws {
        try await withSession(simulator: AMISimulator(scenarios: Self.numbers)) { connection, log, simulator in
            _ = try await connection.send(originate(number: number, job: "j\(number)"), actionID: "fbo-\(number)")
            let fax = try await result(log, job: "j\(number)")
            #expect(fax["FaxStatus"] == status)
            #expect(fax["FaxError"] == error)
            #expect(fax["FaxPages"] == "0")
            #expect(fax["HangupCause"] == cause)
            #expect(fax["Uniqueid"] == "fbtx-j\(number)-1")
            _ = try await log.event("OriginateResponse") { $0.event == "OriginateResponse" && $0.actionID == "fbo-\(number)" }
            #expect(simulator.databaseValue(family: "faxbot", key: "fbtx-j\(number)-1") == "\(status):0:\(error)")
            if number == "15550000004" {
                #expect(!log.messages.contains { $0.event == "SendFAX" })
            }
        }
    }

    @Test(
        "synthetic failures: Newchannel, Hangup with the cause, OriginateResponse Failure with the reason",
        arguments: [("15550000005", "5", "17"), ("15550000006", "3", "19"), ("15550000007", "8", "34"), ("15550000008", "0", "0")]
    )
    func syntheticFailures(number: String, reason: String, cause: String) async throws {
        try await withSession(simulator: AMISimulator(scenarios: Self.numbers)) { connection, log, simulator in
            _ = try await connection.send(originate(number: number, job: "s\(number)"), actionID: "fbo-s\(number)")
            let failure = try await log.event("OriginateResponse") { $0.event == "OriginateResponse" }
            #expect(failure.actionID == "fbo-s\(number)")
            #expect(failure["Response"] == "Failure")
            #expect(failure["Reason"] == reason)
            #expect(failure["Uniqueid"] == "<unknown>")
            #expect(failure["Channel"] == "PJSIP/\(number)@trunk")
            let events = log.messages.filter { $0["Uniqueid"] == "fbtx-s\(number)-1" }.map { $0.event ?? "" }
            #expect(events == ["Newchannel", "Hangup"])
            #expect(log.messages.first { $0.event == "Hangup" }?["Cause"] == cause)
            #expect(!log.messages.contains { $0["UserEvent"] == "FaxbotResult" })
            #expect(simulator.databaseValue(family: "faxbot", key: "fbtx-s\(number)-1") == nil)
            #expect(simulator.liveChannels.isEmpty)
        }
    }

    @Test("hold: answered, nothing more until release, then the success remainder")
    func hold() async throws {
        try await withSession(simulator: AMISimulator(scenarios: Self.numbers)) { connection, log, simulator in
            _ = try await connection.send(originate(number: "15550000009", job: "h1"), actionID: "fbo-h1-1")
            _ = try await log.event("answer") { $0.event == "OriginateResponse" && $0["Reason"] == "4" }
            let channels = try await connection.send(AMIAction("CoreShowChannels"))
            #expect(channels.events.count == 2)
            #expect(simulator.liveChannels.count == 2)
            let pong = try await connection.send(AMIAction("Ping"))
            #expect(pong.isSuccess)
            #expect(!log.messages.contains { $0["UserEvent"] == "FaxbotResult" })
            #expect(simulator.release(channelID: "fbtx-h1-1"))
            let fax = try await result(log, job: "h1")
            #expect(fax["FaxStatus"] == "SUCCESS")
            let afterAnswer = log.messages.drop { $0.event != "OriginateResponse" }.dropFirst()
            #expect(afterAnswer.first?.event == "FAXStatus")
        }
    }

    @Test("Hangup on a held call: the h-extension FaxbotResult FAILED and Hangup cause 16")
    func hangupAction() async throws {
        try await withSession(simulator: AMISimulator(scenarios: Self.numbers)) { connection, log, simulator in
            _ = try await connection.send(originate(number: "15550000009", job: "h2"), actionID: "fbo-h2-1")
            _ = try await log.event("answer") { $0.event == "OriginateResponse" }
            let tx = try #require(simulator.liveChannels.first)
            _ = try await connection.send(AMIAction("Hangup", [AMIField("Channel", tx)]))
            let fax = try await result(log, job: "h2")
            #expect(fax["FaxStatus"] == "FAILED")
            #expect(fax["FaxError"] == "The call dropped prematurely")
            #expect(fax["Exten"] == "h")
            let hangup = try await log.event("Hangup") { $0.event == "Hangup" && $0["Channel"] == tx }
            #expect(hangup["Cause"] == "16")
            #expect(hangup["Cause-txt"] == "Normal Clearing")
            #expect(simulator.liveChannels.isEmpty)
            #expect(simulator.databaseValue(family: "faxbot", key: "fbtx-h2-1") == "FAILED:0:The call dropped prematurely")
            await #expect(throws: AMIError.rejected("No such channel")) {
                try await connection.send(AMIAction("Hangup", [AMIField("Channel", tx)]))
            }
        }
    }

    @Test("pauseBeforeResult: a result emitted while the session is down is lost, but DBGet recovers it")
    func resultWhileDisconnected() async throws {
        let simulator = AMISimulator(scenarios: Self.numbers)
        simulator.pauseBeforeResult = true
        try await withSession(simulator: simulator) { connection, log, simulator in
            _ = try await connection.send(originate(number: "15550000001", job: "p1"), actionID: "fbo-p1-1")
            _ = try await log.event("SendFAX") { $0.event == "SendFAX" }
            await simulator.dropConnections()
            #expect(simulator.release(channelID: "fbtx-p1-1"))
            try await eventually("result stored") { simulator.databaseValue(family: "faxbot", key: "fbtx-p1-1") != nil }
            try await log.connected(2)
            let stored = try await connection.send(AMIAction("DBGet", [AMIField("Family", "faxbot"), AMIField("Key", "fbtx-p1-1")]))
            #expect(stored.events.first?["Val"] == "SUCCESS:2:")
            #expect(!log.messages.contains { $0["UserEvent"] == "FaxbotResult" })
        }
    }

    @Test("the simulator refuses actions before login, answers Logoff with Goodbye")
    func rawProtocol() async throws {
        let simulator = AMISimulator()
        let port = try await simulator.start()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let frames = try await client.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "Action: Ping\r\nActionID: early\r\n\r\nAction: Logoff\r\nActionID: bye\r\n\r\n"))
            var decoder = AMIDecoder()
            var frames: [AMIFrame] = []
            for try await buffer in inbound {
                decoder.append(buffer)
                while let frame = try decoder.next() { frames.append(frame) }
            }
            return frames
        }
        #expect(
            frames == [
                .banner("Asterisk Call Manager/11.0.0"),
                .message(AMIMessage([AMIField("Response", "Error"), AMIField("ActionID", "early"), AMIField("Message", "Permission denied")])),
                .message(
                    AMIMessage([AMIField("Response", "Goodbye"), AMIField("ActionID", "bye"), AMIField("Message", "Thanks for all the fish.")])
                ),
            ]
        )
        await simulator.stop()
    }
}
