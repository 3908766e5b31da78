import Crypto
import FaxbotCore
import Foundation

/// The names one attempt has on the ESL wire, derived from the job and attempt so that a
/// restarted daemon finds its calls again without having stored anything.
public struct FreeSWITCHCallNames: Sendable, Hashable {
    /// `origination_uuid`: the A leg's `Unique-ID`.
    public var originationUUID: String
    /// The bgapi `Job-UUID`: `BACKGROUND_JOB` carries it back.
    public var jobUUID: String

    public init(jobID: String, attempt: Int) {
        originationUUID = Self.uuid("\(jobID)/\(attempt)")
        jobUUID = Self.uuid("\(jobID)/\(attempt)/job")
    }

    /// The first 16 bytes of SHA-256, as a lowercase 8-4-4-4-12 UUID.
    static func uuid(_ text: String) -> String {
        let hex = SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }
}

/// Builds the one `originate` of an attempt (see freeswitch/README.md).
public enum FreeSWITCHOriginate {
    /// The command after `bgapi `.
    public static func command(for request: TransmissionRequest, channel: String, settings: FreeSWITCHSettings) -> String {
        let names = FreeSWITCHCallNames(jobID: request.jobID, attempt: request.attempt)
        let station = safe(request.from ?? settings.stationID)
        var variables = [
            "origination_uuid=\(names.originationUUID)",
            "faxbot_job=\(request.jobID)",
            "faxbot_attempt=\(request.attempt)",
            "fax_ident=\(station)",
            "fax_header=\(safe(request.header ?? settings.header))",
            "fax_enable_t38=\(settings.t38)",
            "fax_enable_t38_request=\(settings.t38)",
            "fax_use_ecm=\(settings.ecm)",
            "ignore_early_media=true",
            "originate_timeout=\(Int(settings.ringTimeout))",
        ]
        if !station.isEmpty { variables.append("origination_caller_id_number=\(station)") }
        return "originate {\(variables.joined(separator: ","))}\(channel) &txfax(\(request.documentPath))"
    }

    /// Text inside `{…}`: `,` separates variables, `'` `"` `{` `}` `\` quote or nest and mod_spandsp
    /// URL-decodes `%`, so they
    /// and control characters become spaces; cut to 60 characters.
    public static func safe(_ text: String) -> String {
        let unsafe: Set<Character> = [",", "'", "\"", "{", "}", "\\", "$", "%", "[", "]", "^", "|", "&", "(", ")", ";", "<", ">", "`"]
        let cleaned = text.map { character -> Character in
            if unsafe.contains(character) { return " " }
            if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return " " }
            return character
        }
        return String(String(cleaned).prefix(60)).trimmingCharacters(in: .whitespaces)
    }
}
