import AsteriskAMI
import FaxTransports
import FaxbotCore
import Testing

@Suite struct AsteriskOriginateTests {
    static let job = String(repeating: "b", count: 32)

    static func request(header: String? = "Clinic, \"Main\"; Fax\n", from: String? = nil) throws -> TransmissionRequest {
        TransmissionRequest(
            jobID: job, attempt: 3, to: try PhoneNumber(parsing: "+15558675309"), documentPath: "/var/lib/faxbot/spool/\(job).fax.tif",
            documentKind: .tiff, pagesTotal: 2, header: header, from: from)
    }

    @Test func theOriginateIsExactlyTheContract() throws {
        var settings = AsteriskSettings()
        settings.stationID = "+15551230000"
        settings.callerName = "Dr. \"Who\""
        let route = DialRoute(dialTemplate: "PJSIP/{number}@trunk")
        let action = AsteriskOriginate.action(
            for: try Self.request(), channel: route.channel(for: try PhoneNumber(parsing: "+15558675309")), settings: settings)
        let text = try action.encoded(actionID: "fbo-\(Self.job)-3")
        #expect(
            text == """
                Action: Originate\r
                ActionID: fbo-\(Self.job)-3\r
                Channel: PJSIP/15558675309@trunk\r
                Context: faxbot-tx\r
                Exten: s\r
                Priority: 1\r
                Timeout: 60000\r
                CallerID: "Dr.  Who" <+15551230000>\r
                Async: true\r
                ChannelId: fbtx-\(Self.job)-3\r
                Variable: FAXBOT_JOB=\(Self.job)\r
                Variable: FAXBOT_ATTEMPT=3\r
                Variable: FAXBOT_FILE=/var/lib/faxbot/spool/\(Self.job).fax.tif\r
                Variable: FAXBOT_HEADER=Clinic   Main   Fax\r
                Variable: FAXBOT_STATION_ID=+15551230000\r
                Variable: FAXBOT_ECM=yes\r
                Variable: FAXBOT_TIMEOUT=900\r
                \r

                """)
    }

    @Test func noStationMeansNoCallerID() throws {
        let action = AsteriskOriginate.action(for: try Self.request(header: nil), channel: "Local/1@x/n", settings: AsteriskSettings())
        #expect(!action.fields.contains { $0.key == "CallerID" })
        #expect(action.fields.contains(AMIField("Variable", "FAXBOT_HEADER=")))
    }

    @Test func routesPickTheLongestPrefixAndFillTheTemplate() throws {
        var settings = AsteriskSettings()
        settings.routes = [
            DialRoute(dialTemplate: "PJSIP/{number}@default"), DialRoute(prefix: "44", dialTemplate: "PJSIP/{e164}@uk", maxChannels: 2),
            DialRoute(prefix: "4420", dialTemplate: "PJSIP/{number}@london", maxChannels: 3),
        ]
        let london = try PhoneNumber(parsing: "+442079460000")
        let leeds = try PhoneNumber(parsing: "+441134960000")
        let us = try PhoneNumber(parsing: "+15558675309")
        #expect(settings.route(for: london)?.channel(for: london) == "PJSIP/442079460000@london")
        #expect(settings.route(for: leeds)?.channel(for: leeds) == "PJSIP/+441134960000@uk")
        #expect(settings.route(for: us)?.poolName(transport: "sip") == "sip")
        #expect(settings.route(for: london)?.poolName(transport: "sip") == "sip:4420")
    }

    @Test func dialplanSafeTextCannotSplitVariablesOrInjectDialplan() {
        #expect(AsteriskOriginate.dialplanSafe("a,b|c;d\"e\\f${g}\r\nh") == "a b c d e f  g  h")
        #expect(AsteriskOriginate.dialplanSafe(String(repeating: "x", count: 100)).count == 60)
    }
}
