import AsteriskAMI
import FaxbotCore
import Foundation

/// The dialplan's `UserEvent(FaxbotResult, …)` for one outbound call, or the same facts read
/// back from AstDB (`faxbot/<ChannelId>` = `FAXSTATUS:FAXPAGES:FAXERROR`).
public struct AsteriskFaxResult: Sendable, Equatable {
    public var channelID: String
    /// `SUCCESS`, `FAILED`, or empty when SendFAX never ran.
    public var status: String
    public var error: String?
    public var statusString: String?
    public var pages: Int
    public var hangupCause: String?

    public init(channelID: String, status: String, error: String? = nil, statusString: String? = nil, pages: Int, hangupCause: String? = nil) {
        self.channelID = channelID
        self.status = status
        self.error = error
        self.statusString = statusString
        self.pages = pages
        self.hangupCause = hangupCause
    }

    /// Parses a FaxbotResult UserEvent; nil for anything else.
    public init?(event message: AMIMessage) {
        guard message.event == "UserEvent", message["UserEvent"] == "FaxbotResult", let channel = message["Uniqueid"] else { return nil }
        self.init(
            channelID: channel, status: message["FaxStatus"]?.trimmingCharacters(in: .whitespaces).uppercased() ?? "",
            error: message["FaxError"].nonEmpty, statusString: message["FaxStatusString"].nonEmpty,
            pages: Int(message["FaxPages"]?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0, hangupCause: message["HangupCause"].nonEmpty
        )
    }

    /// Parses the AstDB value the dialplan wrote.
    public init?(channelID: String, database value: String) {
        let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        self.init(
            channelID: channelID, status: parts[0].trimmingCharacters(in: .whitespaces).uppercased(),
            error: parts.count > 2 ? parts[2].nonEmptyValue : nil, pages: Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0)
    }

    /// What the result means for the job. The decision rests on FAXSTATUS alone: FAXERROR can be
    /// `HANGUP` on a fax that went through.
    public func jobEvent(table: AsteriskCauseTable) -> JobEvent {
        switch status {
        case "SUCCESS":
            return .completed(pagesSent: pages)
        case "FAILED", "FAILURE":
            let cause = table.cause(faxError: error, statusString: statusString, pages: pages)
            return .failed(cause, detail: detail(prefix: "the fax failed"), pagesSent: pages)
        default:
            let cause = table.cause(hangupCause: hangupCause)
            return .failed(cause, detail: "the call ended before the fax started (hangup cause \(hangupCause ?? "unknown"))", pagesSent: 0)
        }
    }

    private func detail(prefix: String) -> String {
        let reason = [error, statusString].compactMap { $0 }.first ?? "no reason given"
        return "\(prefix): \(reason) after \(pages) page\(pages == 1 ? "" : "s")"
    }
}

/// The dialplan's `UserEvent(FaxbotInbound, …)`.
extension InboundCall {
    public init?(asteriskEvent message: AMIMessage) {
        guard message.event == "UserEvent", message["UserEvent"] == "FaxbotInbound", let file = message["File"].nonEmpty,
            let callID = message["CallID"].nonEmpty ?? message["Uniqueid"].nonEmpty
        else { return nil }
        self.init(
            transport: "sip", callID: callID, tiffPath: file, from: message["From"].nonEmpty, to: message["To"].nonEmpty,
            succeeded: message["FaxStatus"]?.uppercased() == "SUCCESS", pages: message["FaxPages"].flatMap { Int($0) },
            remoteStationID: message["RemoteStationID"].nonEmpty, error: message["FaxError"].nonEmpty
        )
    }
}

extension Optional where Wrapped == String {
    fileprivate var nonEmpty: String? { self.flatMap { $0.nonEmptyValue } }
}

extension String {
    fileprivate var nonEmptyValue: String? {
        let trimmed = trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
