import FaxbotCore
import Foundation

/// Durable home of jobs, their documents, their event log and idempotency records.
///
/// Every state change goes through ``apply(_:to:attempt:source:context:)``, which runs the pure
/// ``JobStateMachine`` and writes the job row and its `job_events` row in one transaction.
public protocol JobStore: Sendable {
    /// Creates a job (status `queued`) with its document and first event, durably: when this
    /// returns, the rows are on stable storage. Honours the idempotency claim.
    func create(_ new: NewJob) async throws(StoreError) -> CreateResult

    func job(id: String) async throws(StoreError) -> Job?

    func document(jobID: String) async throws(StoreError) -> StoredDocument?

    /// Applies one event through the state machine, atomically with its event-log row.
    func apply(
        _ event: JobEvent,
        to jobID: String,
        attempt: Int?,
        source: EventSource,
        context: TransitionContext
    ) async throws(StoreError) -> ApplyResult

    /// Queued jobs that are due at `now`, oldest first.
    func dueJobs(now: Date, limit: Int) async throws(StoreError) -> [Job]

    /// All jobs in a status (used at start to reconcile jobs left `in_progress`).
    func jobs(status: JobStatus) async throws(StoreError) -> [Job]

    func list(_ query: JobQuery) async throws(StoreError) -> JobPage

    func events(jobID: String) async throws(StoreError) -> [JobEventRecord]
}

extension JobStore {
    public func apply(
        _ event: JobEvent,
        to jobID: String,
        source: EventSource,
        context: TransitionContext
    ) async throws(StoreError) -> ApplyResult {
        try await apply(event, to: jobID, attempt: nil, source: source, context: context)
    }
}

/// The first event of every job.
extension JobEventRecord {
    static func accepted(_ job: Job, source: EventSource = .api) -> JobEventRecord {
        JobEventRecord(
            jobID: job.id, seq: 1, event: "accepted", from: nil, to: .queued, cause: nil, source: source,
            at: job.createdAt, detail: "\(job.pagesTotal.map { "\($0) page(s)" } ?? "pages unknown"), backend \(job.backend)"
        )
    }

    static func record(_ outcome: Result<Transition, Rejection>, event: JobEvent, job: Job, seq: Int, source: EventSource, at: Date)
        -> JobEventRecord?
    {
        switch outcome {
        case .success(let transition):
            return JobEventRecord(
                jobID: job.id, seq: seq, event: event.name, from: transition.from, to: transition.to, cause: transition.cause,
                source: source, at: at, detail: transition.detail
            )
        case .failure(.notDue):
            return nil
        case .failure(let rejection):
            return JobEventRecord(
                jobID: job.id, seq: seq, event: event.name, from: job.status, to: job.status, cause: nil, source: source,
                at: at, detail: rejection.description
            )
        }
    }
}
