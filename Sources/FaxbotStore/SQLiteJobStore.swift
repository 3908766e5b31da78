import FaxbotCore
import Foundation
import GRDB

/// ``JobStore`` on SQLite. Creations are group-committed; every other write is one transaction.
public final class SQLiteJobStore: JobStore {
    private let database: SQLiteDatabase
    private let committer: GroupCommitter<NewJob, CreateResult>

    public init(database: SQLiteDatabase) {
        self.database = database
        self.committer = GroupCommitter { (batch: [NewJob]) async throws(StoreError) in
            try await database.write { db in
                batch.map { new in
                    do {
                        var outcome: CreateResult = .keyConflict
                        try db.inSavepoint {
                            outcome = try Self.insert(new, db)
                            return .commit
                        }
                        return .success(outcome)
                    } catch let error as StoreError {
                        return .failure(error)
                    } catch {
                        return .failure(.database("\(error)"))
                    }
                }
            }
        }
    }

    /// How many group commits have run (for tests and the benchmark).
    public var commitBatches: Int {
        get async { await committer.batchCount }
    }

    public func create(_ new: NewJob) async throws(StoreError) -> CreateResult {
        try await committer.submit(new)
    }

    private static func insert(_ new: NewJob, _ db: Database) throws -> CreateResult {
        if let claim = new.idempotency {
            if let row = try Row.fetchOne(
                db, sql: "SELECT fingerprint, job_id FROM idempotency_keys WHERE key = ?", arguments: [claim.key])
            {
                guard (row["fingerprint"] as String) == claim.fingerprint else { return .keyConflict }
                let jobID: String = row["job_id"]
                guard let existing = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [jobID]) else {
                    throw StoreError.database("idempotency key points at a missing job")
                }
                return .existing(try JobRows.job(existing))
            }
        }
        try JobRows.insert(new.job, db)
        try JobRows.insert(new.document, db)
        try JobRows.insert(JobEventRecord.accepted(new.job), db)
        if let claim = new.idempotency {
            try db.execute(
                sql: "INSERT INTO idempotency_keys (key, fingerprint, job_id, created_at) VALUES (?, ?, ?, ?)",
                arguments: [claim.key, claim.fingerprint, new.job.id, new.job.createdAt.millis]
            )
        }
        return .created(new.job)
    }

    public func job(id: String) async throws(StoreError) -> Job? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(JobRows.job)
        }
    }

    public func document(jobID: String) async throws(StoreError) -> StoredDocument? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE job_id = ?", arguments: [jobID]).map(JobRows.document)
        }
    }

    public func apply(
        _ event: JobEvent,
        to jobID: String,
        attempt: Int?,
        source: EventSource,
        context: TransitionContext
    ) async throws(StoreError) -> ApplyResult {
        try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [jobID]) else {
                return .notFound
            }
            let job = try JobRows.job(row)
            let outcome = JobStateMachine.apply(event, to: job, attempt: attempt, context: context)
            let seq = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = ?", arguments: [jobID]) ?? 1
            if let record = JobEventRecord.record(outcome, event: event, job: job, seq: seq, source: source, at: context.now) {
                try JobRows.insert(record, db)
            }
            switch outcome {
            case .success(let transition):
                try JobRows.update(transition.job, db)
                return .applied(transition)
            case .failure(let rejection):
                return .rejected(job, rejection)
            }
        }
    }

    public func dueJobs(now: Date, limit: Int) async throws(StoreError) -> [Job] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM jobs WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                    ORDER BY COALESCE(next_attempt_at, created_at), created_at, id LIMIT ?
                    """,
                arguments: [now.millis, limit]
            ).map(JobRows.job)
        }
    }

    public func jobs(status: JobStatus) async throws(StoreError) -> [Job] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE status = ? ORDER BY created_at, id", arguments: [status.rawValue])
                .map(JobRows.job)
        }
    }

    public func list(_ query: JobQuery) async throws(StoreError) -> JobPage {
        try await database.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let status = query.status {
                clauses.append("status = ?")
                arguments += [status.rawValue]
            }
            if let to = query.to {
                clauses.append("to_number = ?")
                arguments += [to]
            }
            if let cursor = query.cursor {
                clauses.append("(created_at < ? OR (created_at = ? AND id < ?))")
                arguments += [cursor.createdAt.millis, cursor.createdAt.millis, cursor.id]
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [query.limit + 1]
            let jobs = try Row.fetchAll(
                db, sql: "SELECT * FROM jobs \(filter) ORDER BY created_at DESC, id DESC LIMIT ?", arguments: arguments
            ).map(JobRows.job)
            return JobPage.slice(jobs, limit: query.limit)
        }
    }

    public func events(jobID: String) async throws(StoreError) -> [JobEventRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job_events WHERE job_id = ? ORDER BY seq", arguments: [jobID]).map(JobRows.event)
        }
    }
}

extension JobPage {
    /// Cuts a `limit + 1` fetch into a page and the cursor of its last job.
    static func slice(_ jobs: [Job], limit: Int) -> JobPage {
        guard jobs.count > limit else { return JobPage(jobs: jobs, nextCursor: nil) }
        let page = Array(jobs.prefix(limit))
        return JobPage(jobs: page, nextCursor: page.last.map { JobCursor(createdAt: $0.createdAt, id: $0.id) })
    }
}
