import FaxbotCore
import Foundation

/// How FreeSWITCH's own codes map onto ``FailureCause``: the `freeswitch` section of
/// config/provider_status_map.json. `fax-success` alone decides success.
public struct FreeSWITCHCauseTable: Sendable, Equatable, Decodable {
    /// The cause in a `BACKGROUND_JOB` `-ERR <CAUSE>` (the call never reached txfax).
    public var bgapiError: [String: FailureCause]
    /// `Hangup-Cause` of a call that ended without a fax result.
    public var hangupCause: [String: FailureCause]
    /// spandsp `T30_ERR_*` in `fax-result-code`.
    public var resultCode: [String: FailureCause]
    public var failedWithPages: FailureCause
    public var failedWithoutPages: FailureCause
    public var unknownHangup: FailureCause

    enum CodingKeys: String, CodingKey {
        case bgapiError = "bgapi_error"
        case hangupCause = "hangup_cause"
        case resultCode = "result_code"
        case failedWithPages = "failed_with_pages"
        case failedWithoutPages = "failed_without_pages"
        case unknownHangup = "unknown_hangup"
    }

    /// Reads the `freeswitch` section of a provider status map file.
    public static func load(path: String) throws -> FreeSWITCHCauseTable {
        struct File: Decodable { var freeswitch: FreeSWITCHCauseTable }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(File.self, from: data).freeswitch
    }

    /// The cause of a failed fax.
    public func cause(resultCode code: String?, pages: Int) -> FailureCause {
        if let code, let cause = resultCode[code.trimmingCharacters(in: .whitespaces)] { return cause }
        return pages > 0 ? failedWithPages : failedWithoutPages
    }

    /// The cause of a call that never reached txfax (`-ERR <CAUSE>`): nothing was sent, so an
    /// unknown cause is a transport problem, retried with backoff.
    public func cause(bgapiError text: String) -> FailureCause {
        let code = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return bgapiError[code] ?? hangupCause[code] ?? .transportUnavailable
    }

    /// The cause of a call that ended without a fax result.
    public func cause(hangupCause code: String?) -> FailureCause {
        code.flatMap { hangupCause[$0] } ?? unknownHangup
    }
}
