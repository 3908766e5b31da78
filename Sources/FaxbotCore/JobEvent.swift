/// Everything that can happen to a job. The state machine decides what each one means.
public enum JobEvent: Sendable, Equatable, Hashable {
    /// The dispatcher takes a due job for an attempt.
    case claim
    /// The document was prepared for the attempt's transport and checked page by page: its real page count.
    case prepared(pages: Int)
    /// The transport accepted the attempt (its own reference, when it has one).
    case submitted(providerSid: String?)
    /// Pages confirmed so far during the attempt.
    case progress(pagesSent: Int)
    /// The transport reports the attempt finished successfully.
    case completed(pagesSent: Int)
    /// The transport reports the attempt failed.
    case failed(FailureCause, detail: String?, pagesSent: Int?)
    /// Someone asked to cancel the job.
    case cancelRequested
    /// The transport confirms it hung up or withdrew the fax because of a cancel.
    case canceledByTransport
    /// The reconciler proved the attempt never reached the transport; it may run again.
    case requeueUnsent(detail: String)
    /// The reconciler could not learn what happened to the attempt.
    case outcomeUnknown(detail: String)

    /// Every kind of event with representative values, for exhaustive tests.
    public static let allKinds: [JobEvent] = [
        .claim, .prepared(pages: 2), .submitted(providerSid: "sid"), .progress(pagesSent: 1), .completed(pagesSent: 1),
        .failed(.busy, detail: nil, pagesSent: nil), .cancelRequested, .canceledByTransport,
        .requeueUnsent(detail: "not submitted"), .outcomeUnknown(detail: "lost"),
    ]

    /// A short name for the event log.
    public var name: String {
        switch self {
        case .claim: "claim"
        case .prepared: "prepared"
        case .submitted: "submitted"
        case .progress: "progress"
        case .completed: "completed"
        case .failed: "failed"
        case .cancelRequested: "cancel_requested"
        case .canceledByTransport: "canceled_by_transport"
        case .requeueUnsent: "requeue_unsent"
        case .outcomeUnknown: "outcome_unknown"
        }
    }

    /// Whether the event reports on one specific attempt (and so may arrive late, for an old one).
    public var isAttemptReport: Bool {
        switch self {
        case .prepared, .submitted, .progress, .completed, .failed, .canceledByTransport: true
        case .claim, .cancelRequested, .requeueUnsent, .outcomeUnknown: false
        }
    }
}
