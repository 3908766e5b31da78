import Foundation

/// When to try a failed attempt again, per cause (defaults after HylaFAX).
///
/// Causes that are never retried: `document_rejected`, `invalid_number`, `auth_error`,
/// `provider_rejected`, `timeout`, `outcome_unknown`, `canceled`, `internal_error`. Retrying
/// any of these would either fail the same way or risk sending the same pages twice.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var busyDelay: TimeInterval
    public var noAnswerDelay: TimeInterval
    public var lineErrorDelay: TimeInterval
    public var noFaxToneDelay: TimeInterval
    public var negotiationFailedDelay: TimeInterval
    /// First delay of the exponential backoff used for `transport_unavailable` and `rate_limited`.
    public var backoffBase: TimeInterval
    /// Largest delay of that backoff.
    public var backoffCap: TimeInterval

    public init(
        maxAttempts: Int = 3,
        busyDelay: TimeInterval = 180,
        noAnswerDelay: TimeInterval = 300,
        lineErrorDelay: TimeInterval = 60,
        noFaxToneDelay: TimeInterval = 300,
        negotiationFailedDelay: TimeInterval = 60,
        backoffBase: TimeInterval = 30,
        backoffCap: TimeInterval = 3600
    ) {
        self.maxAttempts = maxAttempts
        self.busyDelay = busyDelay
        self.noAnswerDelay = noAnswerDelay
        self.lineErrorDelay = lineErrorDelay
        self.noFaxToneDelay = noFaxToneDelay
        self.negotiationFailedDelay = negotiationFailedDelay
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    public static let `default` = RetryPolicy()

    /// Whether a cause is ever retried.
    public static func isRetryable(_ cause: FailureCause) -> Bool {
        switch cause {
        case .busy, .noAnswer, .lineError, .noFaxTone, .negotiationFailed, .transportUnavailable, .rateLimited:
            true
        case .documentRejected, .invalidNumber, .authError, .providerRejected, .timeout, .outcomeUnknown,
            .canceled, .internalError:
            false
        }
    }

    /// The delay before the next attempt, or nil when the job must fail now.
    ///
    /// - Parameters:
    ///   - cause: why attempt number `attempt` failed.
    ///   - attempt: the attempt that just failed (1-based).
    ///   - jitter: a value in `0..<1`, injected so tests are deterministic.
    public func delay(after cause: FailureCause, attempt: Int, jitter: Double) -> TimeInterval? {
        guard Self.isRetryable(cause), attempt < maxAttempts else { return nil }
        switch cause {
        case .busy: return busyDelay
        case .noAnswer: return noAnswerDelay
        case .lineError: return lineErrorDelay
        case .noFaxTone: return noFaxToneDelay
        case .negotiationFailed: return negotiationFailedDelay
        case .transportUnavailable, .rateLimited:
            // "Equal jitter": half the exponential step is fixed, half is random.
            let exponent = Double(max(0, min(attempt - 1, 30)))
            let step = min(backoffCap, backoffBase * pow(2, exponent))
            let clamped = min(max(jitter, 0), 1)
            return step / 2 + step / 2 * clamped
        default: return nil
        }
    }
}
