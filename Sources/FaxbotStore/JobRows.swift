import FaxbotCore
import Foundation
import GRDB

/// Mapping between rows and domain values; kept apart from the queries that use it.
enum JobRows {
    static func job(_ row: Row) throws -> Job {
        guard let status = JobStatus(rawValue: row["status"]),
            let resolution = Resolution(rawValue: row["resolution"])
        else { throw StoreError.database("unknown status or resolution in job row") }
        let to: String = row["to_number"]
        return Job(
            id: row["id"],
            to: try PhoneNumber(parsing: to),
            status: status,
            failureCause: (row["failure_cause"] as String?).flatMap(FailureCause.init(rawValue:)),
            error: row["error"],
            pagesTotal: row["pages_total"],
            pagesSent: row["pages_sent"],
            attempts: row["attempts"],
            maxAttempts: row["max_attempts"],
            backend: row["backend"],
            providerSid: row["provider_sid"],
            header: row["header"],
            from: row["from_number"],
            resolution: resolution,
            cancelRequested: row["cancel_requested"],
            nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Date.init(millis:)),
            createdAt: Date(millis: row["created_at"]),
            updatedAt: Date(millis: row["updated_at"]),
            completedAt: (row["completed_at"] as Int64?).map(Date.init(millis:))
        )
    }

    static func insert(_ job: Job, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO jobs (id, to_number, status, failure_cause, error, pages_total, pages_sent, attempts,
                  max_attempts, backend, provider_sid, header, from_number, resolution, cancel_requested,
                  next_attempt_at, created_at, updated_at, completed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                job.id, job.to.rawValue, job.status.rawValue, job.failureCause?.rawValue, job.error, job.pagesTotal,
                job.pagesSent, job.attempts, job.maxAttempts, job.backend, job.providerSid, job.header, job.from,
                job.resolution.rawValue, job.cancelRequested, job.nextAttemptAt?.millis, job.createdAt.millis,
                job.updatedAt.millis, job.completedAt?.millis,
            ]
        )
    }

    static func update(_ job: Job, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE jobs SET status = ?, failure_cause = ?, error = ?, pages_total = ?, pages_sent = ?, attempts = ?,
                  provider_sid = ?, cancel_requested = ?, next_attempt_at = ?, updated_at = ?, completed_at = ?
                WHERE id = ?
                """,
            arguments: [
                job.status.rawValue, job.failureCause?.rawValue, job.error, job.pagesTotal, job.pagesSent, job.attempts,
                job.providerSid, job.cancelRequested, job.nextAttemptAt?.millis, job.updatedAt.millis,
                job.completedAt?.millis, job.id,
            ]
        )
    }

    static func insert(_ event: JobEventRecord, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO job_events (job_id, seq, event, from_status, to_status, cause, source, at, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.jobID, event.seq, event.event, event.from?.rawValue, event.to.rawValue, event.cause?.rawValue,
                event.source.rawValue, event.at.millis, event.detail,
            ]
        )
    }

    static func event(_ row: Row) throws -> JobEventRecord {
        guard let to = JobStatus(rawValue: row["to_status"]), let source = EventSource(rawValue: row["source"]) else {
            throw StoreError.database("unknown status or source in event row")
        }
        return JobEventRecord(
            jobID: row["job_id"], seq: row["seq"], event: row["event"],
            from: (row["from_status"] as String?).flatMap(JobStatus.init(rawValue:)), to: to,
            cause: (row["cause"] as String?).flatMap(FailureCause.init(rawValue:)), source: source,
            at: Date(millis: row["at"]), detail: row["detail"]
        )
    }

    static func insert(_ document: StoredDocument, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO documents (job_id, kind, size_bytes, sha256, path, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                document.jobID, document.kind.rawValue, document.sizeBytes, document.sha256, document.path,
                document.createdAt.millis,
            ]
        )
    }

    static func document(_ row: Row) throws -> StoredDocument {
        guard let kind = DocumentKind(rawValue: row["kind"]) else { throw StoreError.database("unknown document kind") }
        return StoredDocument(
            jobID: row["job_id"], kind: kind, sizeBytes: row["size_bytes"], sha256: row["sha256"], path: row["path"],
            createdAt: Date(millis: row["created_at"])
        )
    }
}
