import AsteriskAMI
import FaxTransports
import FaxbotCore
import Foundation
import Testing

@Suite struct AsteriskFaxResultTests {
    static let table: AsteriskCauseTable = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/provider_status_map.json").path
        do {
            return try AsteriskCauseTable.load(path: path)
        } catch {
            fatalError("config/provider_status_map.json does not load: \(error)")
        }
    }()

    static func event(status: String, error: String = "", statusString: String = "", pages: String = "0", hangup: String = "16") -> AMIMessage {
        AMIMessage([
            AMIField("Event", "UserEvent"), AMIField("Privilege", "user,all"), AMIField("Channel", "PJSIP/trunk-00000001"),
            AMIField("Uniqueid", "fbtx-\(String(repeating: "a", count: 32))-2"), AMIField("UserEvent", "FaxbotResult"),
            AMIField("Job", String(repeating: "a", count: 32)), AMIField("Attempt", "2"), AMIField("FaxStatus", status),
            AMIField("FaxError", error), AMIField("FaxStatusString", statusString), AMIField("FaxPages", pages),
            AMIField("FaxBitrate", "14400"), AMIField("FaxResolution", "8031x7700"), AMIField("FaxMode", "audio"),
            AMIField("RemoteStationID", ""), AMIField("HangupCause", hangup),
        ])
    }

    @Test func successDecidesOnFaxStatusAloneEvenWithHangupInFaxError() throws {
        let result = try #require(AsteriskFaxResult(event: Self.event(status: "SUCCESS", error: "HANGUP", statusString: "OK", pages: "2")))
        #expect(result.channelID == "fbtx-\(String(repeating: "a", count: 32))-2")
        #expect(result.jobEvent(table: Self.table) == .completed(pagesSent: 2))
    }

    @Test(arguments: [
        ("The call dropped prematurely", "1", FailureCause.lineError),
        ("Timed out waiting for initial communication", "0", .noFaxTone),
        ("FILE_ERROR", "0", .internalError),
        ("Far end cannot receive at the resolution of the image", "0", .negotiationFailed),
        ("something new", "0", .negotiationFailed),
        ("something new", "3", .lineError),
    ])
    func failuresGoThroughTheCauseTable(error: String, pages: String, cause: FailureCause) throws {
        let result = try #require(AsteriskFaxResult(event: Self.event(status: "FAILED", error: error, statusString: error, pages: pages)))
        guard case .failed(let mapped, let detail, let sent) = result.jobEvent(table: Self.table) else {
            Issue.record("not a failure")
            return
        }
        #expect(mapped == cause)
        #expect(sent == Int(pages))
        #expect(detail?.contains(error) == true)
    }

    @Test func anEmptyStatusMeansSendFAXNeverRanAndTheHangupCauseDecides() throws {
        let result = try #require(AsteriskFaxResult(event: Self.event(status: "", hangup: "17")))
        #expect(result.jobEvent(table: Self.table) == .failed(.busy, detail: "the call ended before the fax started (hangup cause 17)", pagesSent: 0))
    }

    @Test func otherUserEventsAreNotResults() {
        var message = Self.event(status: "SUCCESS")
        message.fields = message.fields.map { $0.key == "UserEvent" ? AMIField("UserEvent", "FaxResult") : $0 }
        #expect(AsteriskFaxResult(event: message) == nil)
    }

    @Test func theAstDBCopyKeepsColonsInTheError() throws {
        let result = try #require(AsteriskFaxResult(channelID: "fbtx-x-1", database: "FAILED:1:Error: far end: gone"))
        #expect(result.status == "FAILED")
        #expect(result.pages == 1)
        #expect(result.error == "Error: far end: gone")
        #expect(AsteriskFaxResult(channelID: "fbtx-x-1", database: "garbage") == nil)
        #expect(AsteriskFaxResult(channelID: "fbtx-x-1", database: "SUCCESS:2:")?.jobEvent(table: Self.table) == .completed(pagesSent: 2))
    }

    @Test func originateFailuresMapByReasonAndHangupCause() {
        #expect(Self.table.cause(originateReason: "5", hangupCause: nil) == .busy)
        #expect(Self.table.cause(originateReason: "3", hangupCause: nil) == .noAnswer)
        #expect(Self.table.cause(originateReason: "8", hangupCause: nil) == .transportUnavailable)
        #expect(Self.table.cause(originateReason: "0", hangupCause: "1") == .invalidNumber)
        #expect(Self.table.cause(originateReason: "0", hangupCause: nil) == .transportUnavailable)
        #expect(Self.table.cause(hangupCause: "999") == .lineError)
    }

    @Test func inboundEventsBecomeInboundCalls() throws {
        let message = AMIMessage([
            AMIField("Event", "UserEvent"), AMIField("Uniqueid", "1764480000.12"), AMIField("UserEvent", "FaxbotInbound"),
            AMIField("File", "/var/spool/faxbot/inbound/1764480000.12.tif"), AMIField("CallID", "1764480000.12"),
            AMIField("From", "+15551230000"), AMIField("To", "15559870000"), AMIField("FaxStatus", "SUCCESS"), AMIField("FaxError", ""),
            AMIField("FaxPages", "2"), AMIField("RemoteStationID", "CLINIC"),
        ])
        let call = try #require(InboundCall(asteriskEvent: message))
        #expect(
            call
                == InboundCall(
                    transport: "sip", callID: "1764480000.12", tiffPath: "/var/spool/faxbot/inbound/1764480000.12.tif", from: "+15551230000",
                    to: "15559870000", succeeded: true, pages: 2, remoteStationID: "CLINIC", error: nil))
    }
}
