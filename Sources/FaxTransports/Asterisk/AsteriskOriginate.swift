import AsteriskAMI
import FaxbotCore
import Foundation

/// The names one attempt has on the AMI wire. Both are derived from the job and attempt, so a
/// restarted daemon can find its calls again without having stored anything.
public struct AsteriskCallNames: Sendable, Hashable {
    /// The Originate's `ActionID`; `OriginateResponse` carries it back.
    public var actionID: String
    /// The Originate's `ChannelId`: the channel's `Uniqueid` and the AstDB result key.
    public var channelID: String

    public init(jobID: String, attempt: Int) {
        actionID = "fbo-\(jobID)-\(attempt)"
        channelID = "fbtx-\(jobID)-\(attempt)"
    }

    /// Whether a `Uniqueid` names one of the daemon's outbound channels.
    public static func isOutbound(uniqueID: String) -> Bool { uniqueID.hasPrefix("fbtx-") }
    /// Whether an `ActionID` is one of the daemon's Originates.
    public static func isOriginate(actionID: String) -> Bool { actionID.hasPrefix("fbo-") }
}

/// Builds the one Originate of an attempt (see asterisk/README.md for the dialplan side).
public enum AsteriskOriginate {
    /// The Originate action; nil `channel` means no route matched.
    public static func action(for request: TransmissionRequest, channel: String, settings: AsteriskSettings) -> AMIAction {
        let names = AsteriskCallNames(jobID: request.jobID, attempt: request.attempt)
        var fields: [AMIField] = [
            AMIField("Channel", channel),
            AMIField("Context", settings.context),
            AMIField("Exten", "s"),
            AMIField("Priority", "1"),
            AMIField("Timeout", String(Int(settings.ringTimeout * 1000))),
        ]
        let station = dialplanSafe(request.from ?? settings.stationID)
        if !station.isEmpty {
            fields.append(AMIField("CallerID", "\"\(dialplanSafe(settings.callerName))\" <\(station)>"))
        }
        fields += [
            AMIField("Async", "true"),
            AMIField("ChannelId", names.channelID),
            AMIField("Variable", "FAXBOT_JOB=\(request.jobID)"),
            AMIField("Variable", "FAXBOT_ATTEMPT=\(request.attempt)"),
            AMIField("Variable", "FAXBOT_FILE=\(request.documentPath)"),
            AMIField("Variable", "FAXBOT_HEADER=\(dialplanSafe(request.header ?? settings.header))"),
            AMIField("Variable", "FAXBOT_STATION_ID=\(station)"),
            AMIField("Variable", "FAXBOT_ECM=\(settings.ecm ? "yes" : "no")"),
            AMIField("Variable", "FAXBOT_TIMEOUT=\(Int(settings.callLimit))"),
        ]
        return AMIAction("Originate", fields)
    }

    /// Text that reaches the dialplan: Originate splits `Variable` values on commas and the
    /// dialplan on `,` `|` `"` `;` and `\`, so those and control characters become spaces;
    /// everything is kept to 60 characters (a fax header line holds about that many).
    public static func dialplanSafe(_ text: String) -> String {
        let unsafe: Set<Character> = [",", "|", "\"", ";", "\\", "$", "{", "}", "[", "]", "<", ">", "'", "`"]
        let cleaned = text.map { character -> Character in
            if unsafe.contains(character) { return " " }
            if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return " " }
            return character
        }
        return String(String(cleaned).prefix(60)).trimmingCharacters(in: .whitespaces)
    }
}
