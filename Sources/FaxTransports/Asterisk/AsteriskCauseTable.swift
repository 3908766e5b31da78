import FaxbotCore
import Foundation

/// How Asterisk's own codes map onto ``FailureCause``: the `sip` section of
/// config/provider_status_map.json. The table decides the cause; `FAXSTATUS` alone decides
/// success.
public struct AsteriskCauseTable: Sendable, Equatable, Decodable {
    /// `OriginateResponse` `Reason` (0 failed, 1 hung up, 3 no answer, 5 busy, 8 congestion).
    public var originateReason: [String: FailureCause]
    /// Q.850 `Cause` of a `Hangup` event, or `HANGUPCAUSE` in the result.
    public var hangupCause: [String: FailureCause]
    /// `FAXERROR` / `FAXSTATUSSTRING` values: res_fax codes and spandsp T.30 texts (case-insensitive).
    public var faxError: [String: FailureCause]
    /// A FAILED fax no table entry explains: pages went out (`line_error`) or none did.
    public var failedWithPages: FailureCause
    public var failedWithoutPages: FailureCause
    /// A call that ended without any result and with an unknown hangup cause.
    public var unknownHangup: FailureCause

    enum CodingKeys: String, CodingKey {
        case originateReason = "originate_reason"
        case hangupCause = "hangup_cause"
        case faxError = "fax_error"
        case failedWithPages = "failed_with_pages"
        case failedWithoutPages = "failed_without_pages"
        case unknownHangup = "unknown_hangup"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        originateReason = try container.decode([String: FailureCause].self, forKey: .originateReason)
        hangupCause = try container.decode([String: FailureCause].self, forKey: .hangupCause)
        let errors = try container.decode([String: FailureCause].self, forKey: .faxError)
        faxError = Dictionary(errors.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        failedWithPages = try container.decode(FailureCause.self, forKey: .failedWithPages)
        failedWithoutPages = try container.decode(FailureCause.self, forKey: .failedWithoutPages)
        unknownHangup = try container.decode(FailureCause.self, forKey: .unknownHangup)
    }

    /// Reads the `sip` section of a provider status map file.
    public static func load(path: String) throws -> AsteriskCauseTable {
        struct File: Decodable { var sip: AsteriskCauseTable }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(File.self, from: data).sip
    }

    /// The cause of a FAILED fax.
    public func cause(faxError: String?, statusString: String?, pages: Int) -> FailureCause {
        for text in [faxError, statusString] {
            if let text, let cause = self.faxError[text.trimmingCharacters(in: .whitespaces).lowercased()] { return cause }
        }
        return pages > 0 ? failedWithPages : failedWithoutPages
    }

    /// The cause of a call that ended before SendFAX reported anything.
    public func cause(hangupCause code: String?) -> FailureCause {
        code.flatMap { hangupCause[$0.trimmingCharacters(in: .whitespaces)] } ?? unknownHangup
    }

    /// The cause of a failed Originate; the hangup cause, when one was seen, is more precise for `Reason: 0`.
    public func cause(originateReason reason: String?, hangupCause code: String?) -> FailureCause {
        if reason == "0" || reason == nil, let code, let cause = hangupCause[code] { return cause }
        return reason.flatMap { originateReason[$0] } ?? unknownHangup
    }
}
