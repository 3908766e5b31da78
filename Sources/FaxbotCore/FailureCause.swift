/// Why an attempt or a job failed. Closed and canonical: every transport maps its own codes onto it.
public enum FailureCause: String, Sendable, Codable, CaseIterable, Hashable {
    case busy
    case noAnswer = "no_answer"
    case noFaxTone = "no_fax_tone"
    /// The call dropped mid-transfer.
    case lineError = "line_error"
    case negotiationFailed = "negotiation_failed"
    case documentRejected = "document_rejected"
    case invalidNumber = "invalid_number"
    case transportUnavailable = "transport_unavailable"
    case providerRejected = "provider_rejected"
    case authError = "auth_error"
    case rateLimited = "rate_limited"
    case timeout
    case outcomeUnknown = "outcome_unknown"
    case canceled
    case internalError = "internal_error"

    /// One plain-words sentence for people reading a job's status.
    public var explanation: String {
        switch self {
        case .busy: "The line was busy."
        case .noAnswer: "Nobody answered the call."
        case .noFaxTone: "The call was answered but no fax machine responded."
        case .lineError: "The call dropped while pages were being sent."
        case .negotiationFailed: "The fax machines could not agree on how to exchange pages."
        case .documentRejected: "The document could not be prepared for faxing."
        case .invalidNumber: "The destination number is not valid."
        case .transportUnavailable: "The fax transport was not reachable."
        case .providerRejected: "The fax provider refused the fax."
        case .authError: "The fax transport rejected Faxbot's credentials."
        case .rateLimited: "The fax provider asked Faxbot to slow down."
        case .timeout: "The attempt took too long and was given up."
        case .outcomeUnknown: "Whether the fax went out cannot be known; it was not re-sent to avoid a duplicate."
        case .canceled: "The fax was canceled."
        case .internalError: "Faxbot hit an internal error."
        }
    }

    /// What a job's `error` says: the cause's sentence, plus the reason when the document itself
    /// is at fault, because only then can the sender act on it (the reason never holds PHI).
    public func message(detail: String?) -> String {
        guard self == .documentRejected, let detail, !detail.isEmpty else { return explanation }
        return "The document could not be prepared for faxing: \(detail)."
    }
}
