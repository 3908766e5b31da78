import FaxbotCore
import Foundation

/// ``JobStore`` in memory, with the same semantics as the SQLite one; for pure tests.
public actor InMemoryJobStore: JobStore {
    private var jobsByID: [String: Job] = [:]
    private var documents: [String: StoredDocument] = [:]
    private var eventLog: [String: [JobEventRecord]] = [:]
    private var idempotency: [String: IdempotencyClaim] = [:]
    private var idempotentJob: [String: String] = [:]

    public init() {}

    public func create(_ new: NewJob) throws(StoreError) -> CreateResult {
        if let claim = new.idempotency, let existing = idempotency[claim.key] {
            guard existing.fingerprint == claim.fingerprint, let jobID = idempotentJob[claim.key], let job = jobsByID[jobID] else {
                return .keyConflict
            }
            return .existing(job)
        }
        guard jobsByID[new.job.id] == nil else { throw .duplicate("job \(new.job.id)") }
        jobsByID[new.job.id] = new.job
        documents[new.job.id] = new.document
        eventLog[new.job.id] = [JobEventRecord.accepted(new.job)]
        if let claim = new.idempotency {
            idempotency[claim.key] = claim
            idempotentJob[claim.key] = new.job.id
        }
        return .created(new.job)
    }

    public func job(id: String) -> Job? { jobsByID[id] }

    public func document(jobID: String) -> StoredDocument? { documents[jobID] }

    public func apply(
        _ event: JobEvent,
        to jobID: String,
        attempt: Int?,
        source: EventSource,
        context: TransitionContext
    ) -> ApplyResult {
        guard let job = jobsByID[jobID] else { return .notFound }
        let outcome = JobStateMachine.apply(event, to: job, attempt: attempt, context: context)
        let seq = (eventLog[jobID]?.last?.seq ?? 0) + 1
        if let record = JobEventRecord.record(outcome, event: event, job: job, seq: seq, source: source, at: context.now) {
            eventLog[jobID, default: []].append(record)
        }
        switch outcome {
        case .success(let transition):
            jobsByID[jobID] = transition.job
            return .applied(transition)
        case .failure(let rejection):
            return .rejected(job, rejection)
        }
    }

    public func dueJobs(now: Date, limit: Int) -> [Job] {
        Array(
            jobsByID.values.filter { $0.isDue(at: now) }
                .sorted { ($0.nextAttemptAt ?? $0.createdAt, $0.createdAt, $0.id) < ($1.nextAttemptAt ?? $1.createdAt, $1.createdAt, $1.id) }
                .prefix(limit)
        )
    }

    public func jobs(status: JobStatus) -> [Job] {
        jobsByID.values.filter { $0.status == status }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func list(_ query: JobQuery) -> JobPage {
        let matching = jobsByID.values
            .filter { job in
                (query.status.map { job.status == $0 } ?? true) && (query.to.map { job.to.rawValue == $0 } ?? true)
                    && (query.cursor.map { (job.createdAt, job.id) < ($0.createdAt, $0.id) } ?? true)
            }
            .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return JobPage.slice(Array(matching.prefix(query.limit + 1)), limit: query.limit)
    }

    public func events(jobID: String) -> [JobEventRecord] { eventLog[jobID] ?? [] }
}
