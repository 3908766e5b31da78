import FaxbotCore
import Foundation

/// One attempt to send a job's document, as handed to a transport.
public struct TransmissionRequest: Sendable, Equatable {
    public var jobID: String
    public var attempt: Int
    public var to: PhoneNumber
    /// Absolute path of the stored document.
    public var documentPath: String
    public var documentKind: DocumentKind
    public var pagesTotal: Int
    public var header: String?
    public var from: String?
    public var resolution: Resolution

    public init(
        jobID: String, attempt: Int, to: PhoneNumber, documentPath: String, documentKind: DocumentKind, pagesTotal: Int,
        header: String? = nil, from: String? = nil, resolution: Resolution = .fine
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.to = to
        self.documentPath = documentPath
        self.documentKind = documentKind
        self.pagesTotal = pagesTotal
        self.header = header
        self.from = from
        self.resolution = resolution
    }
}

/// Names one attempt of one job, and the transport's own reference to it when known.
public struct AttemptRef: Sendable, Hashable {
    public var jobID: String
    public var attempt: Int
    public var providerSid: String?

    public init(jobID: String, attempt: Int, providerSid: String? = nil) {
        self.jobID = jobID
        self.attempt = attempt
        self.providerSid = providerSid
    }
}

/// The transport accepted an attempt.
public struct Submission: Sendable, Equatable {
    public var providerSid: String?

    public init(providerSid: String?) {
        self.providerSid = providerSid
    }
}

/// Something a transport learned about an attempt, reported asynchronously.
public struct TransportReport: Sendable, Equatable {
    public var ref: AttemptRef
    /// One of `.progress`, `.completed`, `.failed`, `.canceledByTransport`.
    public var event: JobEvent

    public init(ref: AttemptRef, event: JobEvent) {
        self.ref = ref
        self.event = event
    }
}

/// What a transport knows about an attempt when asked after the fact.
public enum Reconciliation: Sendable, Equatable {
    /// The attempt provably never reached the far end: it may run again.
    case notSubmitted
    /// The attempt is still running.
    case inProgress
    /// The attempt ended; this is its result.
    case finished(JobEvent)
    /// Nobody can tell whether the fax went out.
    case unknown(String)
}

/// Why a transport refused an attempt.
public struct TransportError: Error, Sendable, Equatable {
    public var cause: FailureCause
    /// Plain words, never PHI.
    public var detail: String
    /// True when the request may have reached the far end before failing (a timeout after
    /// sending): the outcome must then be reconciled, never retried blindly.
    public var mayHaveBeenSent: Bool

    public init(cause: FailureCause, detail: String, mayHaveBeenSent: Bool = false) {
        self.cause = cause
        self.detail = detail
        self.mayHaveBeenSent = mayHaveBeenSent
    }
}

/// What a transport sends down the line.
public enum TransportDocumentFormat: String, Sendable, Codable, CaseIterable {
    /// A checked TIFF-F (self-hosted T.38/G.711 lines: Asterisk SendFAX, FreeSWITCH txfax).
    case faxTIFF = "tiff"
    /// A PDF (cloud providers).
    case pdf
    /// The upload exactly as stored, for transports that render documents themselves.
    case original
}

/// What a transport's own periodic check found (session up, credentials accepted, …).
public enum TransportHealthCheck: Sendable, Equatable {
    case healthy
    /// Plain words, never PHI.
    case unhealthy(String)
}

/// Lines that share one channel limit: a transport's calls, or one trunk's.
public struct ChannelPool: Sendable, Hashable {
    public var name: String
    public var limit: Int

    public init(name: String, limit: Int) {
        self.name = name
        self.limit = limit
    }
}

/// The one interface every transport implements: asterisk, freeswitch, cloud providers and test.
public protocol FaxTransport: Sendable {
    /// The backend name stored on jobs (`test`, `sip`, `phaxio`, …).
    var id: String { get }
    /// The document format the transport sends; the dispatcher prepares it before `submit`.
    var documentFormat: TransportDocumentFormat { get }
    /// How many attempts may be in flight at once on this transport.
    var maxConcurrentCalls: Int { get }
    /// Results of attempts, as they happen. Consumed by the dispatcher only.
    var reports: AsyncStream<TransportReport> { get }

    /// Starts an attempt. Returning means the transport accepted it; the result comes on `reports`.
    func submit(_ request: TransmissionRequest) async throws(TransportError) -> Submission
    /// Asks the transport to hang up or withdraw the attempt; it confirms on `reports`.
    func cancel(_ ref: AttemptRef) async
    /// What is known about an attempt, e.g. after a restart.
    func reconcile(_ ref: AttemptRef) async -> Reconciliation
    /// A cheap check that the transport can take work (AMI/ESL session up, a provider's
    /// authenticated no-op call). Run periodically for ``ProviderHealthMonitor``.
    func checkHealth() async -> TransportHealthCheck
    /// The channel pool a call to `destination` uses (a trunk with its own limit).
    func channelPool(for destination: PhoneNumber) -> ChannelPool
    /// False while the transport certainly cannot place a call (its PBX session is down): due
    /// jobs then wait in `queued` instead of spending an attempt.
    var isAcceptingWork: Bool { get }
}

extension FaxTransport {
    /// By default all of a transport's calls share `maxConcurrentCalls`.
    public func channelPool(for destination: PhoneNumber) -> ChannelPool {
        ChannelPool(name: id, limit: maxConcurrentCalls)
    }

    /// By default a transport takes work whenever its circuit breaker lets it.
    public var isAcceptingWork: Bool { true }
}
