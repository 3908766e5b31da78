import FaxTransports
import FaxbotCore
import Foundation
import FreeSWITCHESL
import Testing

@Suite struct FreeSWITCHUnitTests {
    static let table: FreeSWITCHCauseTable = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/provider_status_map.json").path
        do {
            return try FreeSWITCHCauseTable.load(path: path)
        } catch {
            fatalError("config/provider_status_map.json does not load: \(error)")
        }
    }()

    static func event(_ fields: [(String, String)]) -> ESLEvent {
        ESLEvent(headers: ESLHeaders(fields.map { ESLField($0.0, $0.1) }), body: nil)
    }

    @Test func callNamesAreDeterministicUUIDsPerAttempt() {
        let job = String(repeating: "c", count: 32)
        let first = FreeSWITCHCallNames(jobID: job, attempt: 1)
        #expect(first == FreeSWITCHCallNames(jobID: job, attempt: 1))
        #expect(first.originationUUID != FreeSWITCHCallNames(jobID: job, attempt: 2).originationUUID)
        #expect(first.originationUUID != first.jobUUID)
        let shape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
        #expect(first.originationUUID.wholeMatch(of: shape) != nil)
        #expect(first.jobUUID.wholeMatch(of: shape) != nil)
    }

    @Test func valuesInsideTheVariableBlockCannotEndItOrAddVariables() {
        #expect(FreeSWITCHOriginate.safe("Clinic, Inc.}{x=y}'a'\"b\"\\c$d\r\n") == "Clinic  Inc.  x=y  a  b  c d")
        // mod_spandsp URL-decodes fax_header and fax_ident: no % survives to be decoded.
        #expect(FreeSWITCHOriginate.safe("100%2C sure") == "100 2C sure")
        #expect(FreeSWITCHOriginate.safe(String(repeating: "y", count: 90)).count == 60)
    }

    @Test func successIsDecidedByFaxSuccessAlone() throws {
        let success = try #require(
            FreeSWITCHFaxResult(
                event: Self.event([
                    ("Event-Name", "CUSTOM"), ("Event-Subclass", "spandsp::txfaxresult"), ("Unique-ID", "u-1"), ("fax-success", "1"),
                    ("fax-result-code", "0"), ("fax-result-text", "OK"), ("fax-document-transferred-pages", "2"),
                ])))
        #expect(success.jobEvent(table: Self.table) == .completed(pagesSent: 2))
        let dropped = try #require(
            FreeSWITCHFaxResult(
                event: Self.event([
                    ("Event-Name", "CUSTOM"), ("Event-Subclass", "spandsp::txfaxresult"), ("Unique-ID", "u-1"), ("fax-success", "0"),
                    ("fax-result-code", "49"), ("fax-result-text", "The call dropped prematurely"), ("fax-document-transferred-pages", "1"),
                ])))
        guard case .failed(let cause, let detail, let pages) = dropped.jobEvent(table: Self.table) else {
            Issue.record("not a failure")
            return
        }
        #expect(cause == .lineError)
        #expect(pages == 1)
        #expect(detail?.contains("The call dropped prematurely") == true)
        // Absent fax-* headers (FreeSWITCH leaves empty ones out) count as a failure with no pages.
        let bare = try #require(
            FreeSWITCHFaxResult(event: Self.event([("Event-Name", "CUSTOM"), ("Event-Subclass", "spandsp::txfaxresult"), ("Unique-ID", "u")])))
        guard case .failed(.negotiationFailed, _, 0) = bare.jobEvent(table: Self.table) else {
            Issue.record("a bare result is not a failure without pages")
            return
        }
    }

    @Test func backgroundJobErrorsMapWithoutAnAnswer() {
        #expect(Self.table.cause(bgapiError: "USER_BUSY\n") == .busy)
        #expect(Self.table.cause(bgapiError: "NO_ANSWER") == .noAnswer)
        #expect(Self.table.cause(bgapiError: "UNALLOCATED_NUMBER") == .invalidNumber)
        #expect(Self.table.cause(bgapiError: "SOMETHING_NEW") == .transportUnavailable)
    }

    @Test func onlyTheShippedDialplansReceptionsAreInbound() {
        var fields = [
            ("Event-Name", "CUSTOM"), ("Event-Subclass", "spandsp::rxfaxresult"), ("Unique-ID", "call-1"), ("fax-success", "1"),
            ("fax-document-transferred-pages", "3"), ("variable_fax_filename", "/var/spool/faxbot/inbound/call-1.tif"),
            ("Caller-Caller-ID-Number", "+15551230000"), ("Caller-Destination-Number", "15559870000"),
        ]
        #expect(InboundCall(freeswitchEvent: Self.event(fields)) == nil)
        fields.append(("variable_faxbot_inbound", "true"))
        #expect(
            InboundCall(freeswitchEvent: Self.event(fields))
                == InboundCall(
                    transport: "freeswitch", callID: "call-1", tiffPath: "/var/spool/faxbot/inbound/call-1.tif", from: "+15551230000",
                    to: "15559870000", succeeded: true, pages: 3))
    }
}
