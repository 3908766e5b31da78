import Foundation

/// What the state machine needs besides the job and the event: the time, the policy, and operator choices.
public struct TransitionContext: Sendable {
    public var now: Date
    public var policy: RetryPolicy
    /// When true, an attempt whose outcome cannot be known is queued again instead of failing.
    public var retryUncertain: Bool
    /// A value in `0..<1` for backoff jitter; injected so tests are deterministic.
    public var jitter: Double

    public init(now: Date, policy: RetryPolicy = .default, retryUncertain: Bool = false, jitter: Double = 0.5) {
        self.now = now
        self.policy = policy
        self.retryUncertain = retryUncertain
        self.jitter = jitter
    }
}

/// An accepted event: the job after it, and what the event log records.
public struct Transition: Sendable, Equatable {
    public var job: Job
    public var from: JobStatus
    public var to: JobStatus
    public var cause: FailureCause?
    public var detail: String?
}

/// Why an event was not applied. Late and duplicate events are recorded and otherwise ignored.
public enum Rejection: Error, Sendable, Equatable {
    /// The job is already `delivered`, `failed` or `canceled`.
    case terminal(JobStatus)
    /// The event makes no sense in this status (e.g. a result for a job not in flight).
    case notApplicable(JobStatus, event: String)
    /// The job is queued but its retry time has not come.
    case notDue
    /// The report is about an earlier attempt than the current one.
    case staleAttempt(reported: Int, current: Int)

    public var description: String {
        switch self {
        case .terminal(let status): "ignored: job is already \(status.rawValue)"
        case .notApplicable(let status, let event): "ignored: \(event) does not apply to a \(status.rawValue) job"
        case .notDue: "ignored: the job is not due yet"
        case .staleAttempt(let reported, let current): "ignored: report for attempt \(reported), current attempt is \(current)"
        }
    }
}

/// The job state machine as a pure function: (job, event) → transition or rejection.
///
/// ```
/// queued ──claim──▶ in_progress ──completed, pages_sent == pages_total ≥ 1──▶ delivered
///   ▲  │                 │ ──non-retryable cause, or attempts exhausted──────▶ failed
///   │  │                 │ ──retryable cause──▶ queued (next_attempt_at = now + delay)
///   │  └──cancel──▶ canceled ◀──transport confirms cancel──┘
/// ```
public enum JobStateMachine {
    /// Applies `event` to `job`.
    ///
    /// - Parameter attempt: for transport reports, the attempt they are about; reports about an
    ///   earlier attempt are rejected as stale.
    public static func apply(
        _ event: JobEvent,
        to job: Job,
        attempt: Int? = nil,
        context: TransitionContext
    ) -> Result<Transition, Rejection> {
        if job.status.isTerminal { return .failure(.terminal(job.status)) }
        if event.isAttemptReport, let attempt, attempt != job.attempts {
            return .failure(.staleAttempt(reported: attempt, current: job.attempts))
        }
        switch job.status {
        case .queued: return applyQueued(event, job, context)
        case .inProgress: return applyInProgress(event, job, context)
        case .delivered, .failed, .canceled: return .failure(.terminal(job.status))
        }
    }

    private static func applyQueued(_ event: JobEvent, _ job: Job, _ context: TransitionContext) -> Result<Transition, Rejection> {
        var next = job
        switch event {
        case .claim:
            guard job.isDue(at: context.now) else { return .failure(.notDue) }
            next.status = .inProgress
            next.attempts += 1
            next.nextAttemptAt = nil
            next.providerSid = nil
            next.pagesSent = 0
            return .success(finish(next, from: job, context, detail: "attempt \(next.attempts) of \(job.maxAttempts)"))
        case .cancelRequested:
            return .success(cancel(next, from: job, context, detail: "canceled before an attempt was in flight"))
        default:
            return .failure(.notApplicable(.queued, event: event.name))
        }
    }

    private static func applyInProgress(_ event: JobEvent, _ job: Job, _ context: TransitionContext) -> Result<Transition, Rejection> {
        var next = job
        switch event {
        case .claim:
            return .failure(.notApplicable(.inProgress, event: event.name))
        case .prepared(let pages):
            guard pages >= 1 else { return .failure(.notApplicable(.inProgress, event: event.name)) }
            next.pagesTotal = pages
            return .success(finish(next, from: job, context, detail: "document prepared and checked: \(pages) page(s)"))
        case .submitted(let providerSid):
            next.providerSid = providerSid ?? job.providerSid
            return .success(finish(next, from: job, context, detail: "accepted by transport"))
        case .progress(let pagesSent):
            next.pagesSent = max(job.pagesSent, pagesSent)
            return .success(finish(next, from: job, context, detail: "\(next.pagesSent) page(s) confirmed"))
        case .completed(let pagesSent):
            next.pagesSent = max(job.pagesSent, pagesSent)
            let complete = next.pagesSent >= 1 && (job.pagesTotal.map { next.pagesSent == $0 } ?? true)
            guard complete else {
                let total = job.pagesTotal.map(String.init) ?? "?"
                let detail = "transport reported success with \(next.pagesSent) of \(total) pages"
                // A short "success" after a cancel request is the transport hanging up on request: never retry it.
                if job.cancelRequested { return .success(cancel(next, from: job, context, detail: detail)) }
                return .success(fail(next, from: job, cause: .lineError, detail: detail, context))
            }
            next.status = .delivered
            next.failureCause = nil
            next.error = nil
            next.completedAt = context.now
            return .success(finish(next, from: job, context, detail: "\(next.pagesSent) page(s) delivered"))
        case .failed(let cause, let detail, let pagesSent):
            if let pagesSent { next.pagesSent = max(job.pagesSent, pagesSent) }
            if cause == .canceled || job.cancelRequested {
                return .success(cancel(next, from: job, context, detail: detail ?? "canceled during the attempt"))
            }
            return .success(fail(next, from: job, cause: cause, detail: detail, context))
        case .cancelRequested:
            next.cancelRequested = true
            return .success(finish(next, from: job, context, detail: "cancel requested; waiting for the transport"))
        case .canceledByTransport:
            return .success(cancel(next, from: job, context, detail: "transport confirmed the cancel"))
        case .requeueUnsent(let detail):
            if job.cancelRequested { return .success(cancel(next, from: job, context, detail: detail)) }
            next.status = .queued
            next.attempts = max(0, job.attempts - 1)
            next.nextAttemptAt = context.now
            return .success(finish(next, from: job, context, detail: detail))
        case .outcomeUnknown(let detail):
            if context.retryUncertain, job.attempts < job.maxAttempts, !job.cancelRequested {
                next.status = .queued
                next.failureCause = .outcomeUnknown
                next.error = FailureCause.outcomeUnknown.explanation
                next.nextAttemptAt = context.now
                return .success(finish(next, from: job, context, cause: .outcomeUnknown, detail: detail + "; retry_uncertain is on"))
            }
            return .success(terminalFailure(next, from: job, cause: .outcomeUnknown, detail: detail, context))
        }
    }

    private static func fail(_ job: Job, from old: Job, cause: FailureCause, detail: String?, _ context: TransitionContext) -> Transition {
        // The job keeps the attempt limit it was accepted with, whatever the policy says now.
        var policy = context.policy
        policy.maxAttempts = old.maxAttempts
        guard let delay = policy.delay(after: cause, attempt: old.attempts, jitter: context.jitter) else {
            return terminalFailure(job, from: old, cause: cause, detail: detail, context)
        }
        var next = job
        next.status = .queued
        next.failureCause = cause
        next.error = cause.message(detail: detail)
        next.nextAttemptAt = context.now.addingTimeInterval(delay).roundedToMilliseconds
        return finish(next, from: old, context, cause: cause, detail: detail)
    }

    private static func terminalFailure(_ job: Job, from old: Job, cause: FailureCause, detail: String?, _ context: TransitionContext) -> Transition {
        var next = job
        next.status = .failed
        next.failureCause = cause
        next.error = cause.message(detail: detail)
        next.nextAttemptAt = nil
        next.completedAt = context.now
        return finish(next, from: old, context, cause: cause, detail: detail)
    }

    private static func cancel(_ job: Job, from old: Job, _ context: TransitionContext, detail: String) -> Transition {
        var next = job
        next.status = .canceled
        next.cancelRequested = true
        next.failureCause = .canceled
        next.error = FailureCause.canceled.explanation
        next.nextAttemptAt = nil
        next.completedAt = context.now
        return finish(next, from: old, context, cause: .canceled, detail: detail)
    }

    private static func finish(
        _ job: Job,
        from old: Job,
        _ context: TransitionContext,
        cause: FailureCause? = nil,
        detail: String?
    ) -> Transition {
        var next = job
        next.updatedAt = context.now
        return Transition(job: next, from: old.status, to: next.status, cause: cause, detail: detail)
    }
}
