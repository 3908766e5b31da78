import FaxbotCore
import Foundation

/// The stored upload of a job: always named by the job id, never by the client's filename.
public struct StoredDocument: Sendable, Equatable {
    public var jobID: String
    public var kind: DocumentKind
    public var sizeBytes: Int
    public var sha256: String
    /// Path relative to the spool directory.
    public var path: String
    public var createdAt: Date

    public init(jobID: String, kind: DocumentKind, sizeBytes: Int, sha256: String, path: String, createdAt: Date) {
        self.jobID = jobID
        self.kind = kind
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.path = path
        self.createdAt = createdAt
    }
}

/// An `Idempotency-Key` and the fingerprint of the request that first used it.
public struct IdempotencyClaim: Sendable, Equatable {
    public var key: String
    public var fingerprint: String

    public init(key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// A job to create, with its document and optional idempotency claim.
public struct NewJob: Sendable {
    public var job: Job
    public var document: StoredDocument
    public var idempotency: IdempotencyClaim?

    public init(job: Job, document: StoredDocument, idempotency: IdempotencyClaim?) {
        self.job = job
        self.document = document
        self.idempotency = idempotency
    }
}

public enum CreateResult: Sendable, Equatable {
    case created(Job)
    /// The idempotency key was used before for the same request: the original job.
    case existing(Job)
    /// The idempotency key was used before for a different request.
    case keyConflict
}

public enum ApplyResult: Sendable, Equatable {
    case applied(Transition)
    /// Recorded in the event log (unless merely not due) and otherwise ignored.
    case rejected(Job, Rejection)
    case notFound
}

/// One row of the append-only event log.
public struct JobEventRecord: Sendable, Equatable {
    public var jobID: String
    public var seq: Int
    public var event: String
    public var from: JobStatus?
    public var to: JobStatus
    public var cause: FailureCause?
    public var source: EventSource
    public var at: Date
    public var detail: String?

    public init(
        jobID: String, seq: Int, event: String, from: JobStatus?, to: JobStatus, cause: FailureCause?,
        source: EventSource, at: Date, detail: String?
    ) {
        self.jobID = jobID
        self.seq = seq
        self.event = event
        self.from = from
        self.to = to
        self.cause = cause
        self.source = source
        self.at = at
        self.detail = detail
    }
}

/// Filters and paging for listing jobs, newest first.
public struct JobQuery: Sendable, Equatable {
    public var status: JobStatus?
    public var to: String?
    public var limit: Int
    /// Opaque position from a previous page.
    public var cursor: JobCursor?

    public init(status: JobStatus? = nil, to: String? = nil, limit: Int = 50, cursor: JobCursor? = nil) {
        self.status = status
        self.to = to
        self.limit = limit
        self.cursor = cursor
    }
}

/// A position in the newest-first job list: the last job of the previous page.
public struct JobCursor: Sendable, Equatable {
    public var createdAt: Date
    public var id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// `<milliseconds>.<id>`, which clients treat as opaque.
    public var token: String { "\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded())).\(id)" }

    public init?(token: String) {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let millis = Int64(parts[0]), JobID.isValid(String(parts[1])) else { return nil }
        self.createdAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        self.id = String(parts[1])
    }
}

public struct JobPage: Sendable, Equatable {
    public var jobs: [Job]
    public var nextCursor: JobCursor?

    public init(jobs: [Job], nextCursor: JobCursor?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}
