import FaxbotCore
import Foundation
import FreeSWITCHESL

/// mod_spandsp's `spandsp::txfaxresult` for one outbound call.
public struct FreeSWITCHFaxResult: Sendable, Equatable {
    public var uuid: String
    public var success: Bool
    public var code: String?
    public var text: String?
    public var pages: Int

    public init(uuid: String, success: Bool, code: String? = nil, text: String? = nil, pages: Int) {
        self.uuid = uuid
        self.success = success
        self.code = code
        self.text = text
        self.pages = pages
    }

    /// Parses a txfaxresult event; nil for anything else. Absent `fax-*` headers count as empty.
    public init?(event: ESLEvent) {
        guard event.name == "CUSTOM", event.subclass == "spandsp::txfaxresult", let uuid = event.uniqueID else { return nil }
        self.init(
            uuid: uuid, success: event.headers["fax-success"] == "1", code: event.headers["fax-result-code"].nonEmpty,
            text: event.headers["fax-result-text"].nonEmpty, pages: Int(event.headers["fax-document-transferred-pages"] ?? "") ?? 0)
    }

    /// What the result means for the job: `fax-success` decides, the T.30 code picks the cause.
    public func jobEvent(table: FreeSWITCHCauseTable) -> JobEvent {
        guard !success else { return .completed(pagesSent: pages) }
        let cause = table.cause(resultCode: code, pages: pages)
        let detail = "the fax failed: \(text ?? "no reason given") (T.30 code \(code ?? "unknown")) after \(pages) page\(pages == 1 ? "" : "s")"
        return .failed(cause, detail: detail, pagesSent: pages)
    }
}

/// mod_spandsp's `spandsp::rxfaxresult` for a call the shipped dialplan answered
/// (`faxbot_inbound=true` on the channel).
extension InboundCall {
    public init?(freeswitchEvent event: ESLEvent) {
        guard event.name == "CUSTOM", event.subclass == "spandsp::rxfaxresult", event.headers["variable_faxbot_inbound"] == "true",
            let uuid = event.uniqueID, let file = event.headers["variable_fax_filename"].nonEmpty
        else { return nil }
        self.init(
            transport: "freeswitch", callID: uuid, tiffPath: file,
            // The dialplan's checked copies (digits and +) first; the raw caller-side fields otherwise.
            from: event.headers["variable_faxbot_from"].nonEmpty ?? event.headers["Caller-Caller-ID-Number"].nonEmpty,
            to: event.headers["variable_faxbot_to"].nonEmpty ?? event.headers["Caller-Destination-Number"].nonEmpty,
            succeeded: event.headers["fax-success"] == "1",
            pages: event.headers["fax-document-transferred-pages"].flatMap { Int($0) },
            remoteStationID: event.headers["fax-remote-station-id"].nonEmpty, error: event.headers["fax-result-text"].nonEmpty)
    }
}

extension Optional where Wrapped == String {
    fileprivate var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}
