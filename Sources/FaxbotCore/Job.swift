import Foundation

/// One outbound fax job, as the state machine sees it.
public struct Job: Sendable, Equatable, Hashable {
    /// 32 lowercase hex characters, as Faxbot v3 used.
    public var id: String
    public var to: PhoneNumber
    public var status: JobStatus
    public var failureCause: FailureCause?
    /// One plain-words sentence about the last failure, never PHI.
    public var error: String?
    public var pagesTotal: Int?
    public var pagesSent: Int
    public var attempts: Int
    public var maxAttempts: Int
    public var backend: String
    public var providerSid: String?
    public var header: String?
    public var from: String?
    public var resolution: Resolution
    public var cancelRequested: Bool
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?

    public init(
        id: String,
        to: PhoneNumber,
        status: JobStatus = .queued,
        failureCause: FailureCause? = nil,
        error: String? = nil,
        pagesTotal: Int?,
        pagesSent: Int = 0,
        attempts: Int = 0,
        maxAttempts: Int,
        backend: String,
        providerSid: String? = nil,
        header: String? = nil,
        from: String? = nil,
        resolution: Resolution = .fine,
        cancelRequested: Bool = false,
        nextAttemptAt: Date? = nil,
        createdAt: Date,
        updatedAt: Date? = nil,
        completedAt: Date? = nil
    ) {
        self.id = id
        self.to = to
        self.status = status
        self.failureCause = failureCause
        self.error = error
        self.pagesTotal = pagesTotal
        self.pagesSent = pagesSent
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.backend = backend
        self.providerSid = providerSid
        self.header = header
        self.from = from
        self.resolution = resolution
        self.cancelRequested = cancelRequested
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.completedAt = completedAt
    }

    /// Whether the dispatcher may claim this job at `now`.
    public func isDue(at now: Date) -> Bool {
        status == .queued && (nextAttemptAt.map { $0 <= now } ?? true)
    }
}
