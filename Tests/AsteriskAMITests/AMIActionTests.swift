import AsteriskAMI
import Testing

@Suite("AMIAction encoding")
struct AMIActionTests {
    @Test("Originate encodes to the exact contract bytes")
    func originateBytes() throws {
        let action = AMIAction(
            "Originate",
            [
                AMIField("Channel", "PJSIP/15551234567@trunk"), AMIField("Context", "faxbot-tx"), AMIField("Exten", "s"),
                AMIField("Priority", "1"), AMIField("Timeout", "60000"), AMIField("CallerID", "\"Faxbot\" <15551230000>"),
                AMIField("Async", "true"), AMIField("ChannelId", "fbtx-j1-1"), AMIField("Variable", "FAXBOT_JOB=j1"),
                AMIField("Variable", "FAXBOT_ATTEMPT=1"), AMIField("Variable", "FAXBOT_HEADER="),
            ]
        )
        let expected =
            "Action: Originate\r\nActionID: fbo-j1-1\r\nChannel: PJSIP/15551234567@trunk\r\nContext: faxbot-tx\r\n"
            + "Exten: s\r\nPriority: 1\r\nTimeout: 60000\r\nCallerID: \"Faxbot\" <15551230000>\r\nAsync: true\r\n"
            + "ChannelId: fbtx-j1-1\r\nVariable: FAXBOT_JOB=j1\r\nVariable: FAXBOT_ATTEMPT=1\r\nVariable: FAXBOT_HEADER=\r\n\r\n"
        #expect(try action.encoded(actionID: "fbo-j1-1") == expected)
        #expect(try AMIAction("Ping").encoded(actionID: "p") == "Action: Ping\r\nActionID: p\r\n\r\n")
    }

    @Test(
        "CR/LF injection and malformed keys are rejected",
        arguments: [
            AMIAction("Originate", [AMIField("Channel", "PJSIP/1\r\nAction: Hangup")]),
            AMIAction("Originate", [AMIField("Variable", "A=1\nB=2")]),
            AMIAction("Originate", [AMIField("Variable", "A=1\r")]),
            AMIAction("Originate", [AMIField("Bad\nKey", "x")]),
            AMIAction("Originate", [AMIField("Bad: Key", "x")]),
            AMIAction("Originate", [AMIField("", "x")]),
            AMIAction("Originate", [AMIField("actionid", "x")]),
            AMIAction("Ping\r\nAction: Hangup"),
            AMIAction(""),
        ]
    )
    func rejected(_ action: AMIAction) {
        #expect(throws: AMIError.self) { try action.encoded(actionID: "x") }
    }

    @Test("an ActionID with a line break is rejected")
    func badActionID() {
        #expect(throws: AMIError.self) { try AMIAction("Ping").encoded(actionID: "a\r\nAction: Hangup") }
    }

    @Test("MD5 key is md5hex(challenge + secret)")
    func md5() {
        #expect(AMIAuthentication.md5Key(challenge: "123456789", secret: "faxbot-secret") == "483ebb7993ee8d43411a08d9a23f2dcc")
    }

    @Test("decoding an encoded message round-trips")
    func roundTrip() throws {
        let message = AMIMessage([AMIField("Event", "UserEvent"), AMIField("AccountCode", ""), AMIField("Variable", "A=1")])
        var decoder = AMIDecoder()
        decoder.append(Array(message.encoded().utf8))
        #expect(try decoder.next() == .message(message))
    }
}
