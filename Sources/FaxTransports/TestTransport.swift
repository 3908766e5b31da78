import FaxbotCore
import Foundation
import Logging

/// Settings of the test transport (`FAX_BACKEND=test`).
public struct TestTransportConfiguration: Sendable, Equatable {
    /// Time between the steps of a simulated call (dialling, each outcome).
    public var stepDelay: TimeInterval
    public var maxConcurrentCalls: Int
    /// Where the journal lives; nil keeps everything in memory.
    public var journalPath: String?
    /// What it is handed: a checked TIFF-F by default, as a self-hosted line would be.
    public var documentFormat: TransportDocumentFormat

    public init(
        stepDelay: TimeInterval = 0.5, maxConcurrentCalls: Int = 4, journalPath: String? = nil, documentFormat: TransportDocumentFormat = .faxTIFF
    ) {
        self.stepDelay = stepDelay
        self.maxConcurrentCalls = maxConcurrentCalls
        self.journalPath = journalPath
        self.documentFormat = documentFormat
    }
}

/// A deterministic transport for development and CI; see ``TestTransportScenario`` and docs/test-transport.md.
public actor TestTransport: FaxTransport {
    public nonisolated let id = "test"
    public nonisolated let maxConcurrentCalls: Int
    public nonisolated let documentFormat: TransportDocumentFormat
    public nonisolated let reports: AsyncStream<TransportReport>

    private let continuation: AsyncStream<TransportReport>.Continuation
    private let configuration: TestTransportConfiguration
    private let clock: any WallClock
    private let journal: TestTransportJournal?
    private let logger: Logger
    private var transmissions: [String: Int] = [:]
    private var calls: [AttemptRef: Task<Void, Never>] = [:]
    private var results: [AttemptRef: JobEvent] = [:]
    private var silent: Set<AttemptRef> = []
    /// Attempts the journal shows as submitted, by any run: never submitted again.
    private var journaled: Set<String> = []

    public init(configuration: TestTransportConfiguration, clock: any WallClock, logger: Logger = Logger(label: "faxbot.transport.test")) {
        self.configuration = configuration
        self.maxConcurrentCalls = configuration.maxConcurrentCalls
        self.documentFormat = configuration.documentFormat
        self.clock = clock
        self.journal = configuration.journalPath.map(TestTransportJournal.init(path:))
        self.logger = logger
        (self.reports, self.continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        if let journal {
            for entry in journal.entries() where entry.event == "submitted" {
                transmissions[entry.job, default: 0] += 1
                journaled.insert("\(entry.job)/\(entry.attempt)")
            }
        }
    }

    /// How many times a job was handed to this transport (across restarts when journaled).
    public func transmissionCount(jobID: String) -> Int { transmissions[jobID] ?? 0 }

    public func submit(_ request: TransmissionRequest) async throws(TransportError) -> Submission {
        let ref = AttemptRef(jobID: request.jobID, attempt: request.attempt, providerSid: "test-\(request.jobID)-\(request.attempt)")
        let key = "\(request.jobID)/\(request.attempt)"
        guard calls[ref] == nil, results[ref] == nil, !silent.contains(ref), !journaled.contains(key) else {
            throw TransportError(cause: .internalError, detail: "attempt already submitted")
        }
        if let journal {
            // The far end's record comes first: a transmission that cannot be recorded does not happen.
            guard journal.append(.init(job: request.jobID, attempt: request.attempt, event: "submitted")) else {
                throw TransportError(cause: .transportUnavailable, detail: "test transport journal is not writable")
            }
        }
        journaled.insert(key)
        transmissions[request.jobID, default: 0] += 1
        let scenario = TestTransportScenario(destination: request.to)
        logger.debug("test transport call", metadata: ["job": "\(request.jobID)", "to": "\(request.to.masked)", "scenario": "\(scenario)"])
        if scenario == .silence {
            silent.insert(ref)
        } else {
            calls[ref] = Task { await self.run(scenario, ref: ref, pages: request.pagesTotal) }
        }
        return Submission(providerSid: ref.providerSid)
    }

    public func cancel(_ ref: AttemptRef) async {
        guard let key = calls.keys.first(where: { $0.jobID == ref.jobID && $0.attempt == ref.attempt }) else { return }
        calls[key]?.cancel()
    }

    public func reconcile(_ ref: AttemptRef) async -> Reconciliation {
        if let result = results.first(where: { $0.key.jobID == ref.jobID && $0.key.attempt == ref.attempt })?.value {
            return .finished(result)
        }
        if calls.keys.contains(where: { $0.jobID == ref.jobID && $0.attempt == ref.attempt }) { return .inProgress }
        if silent.contains(where: { $0.jobID == ref.jobID && $0.attempt == ref.attempt }) {
            return .unknown("the test transport accepted the attempt and never answered")
        }
        guard let journal else { return .unknown("the test transport has no record of this attempt (no journal)") }
        let entries = journal.entries().filter { $0.job == ref.jobID && $0.attempt == ref.attempt }
        if entries.isEmpty { return .notSubmitted }
        if let result = entries.last(where: { $0.event == "result" }).flatMap(TestTransportJournal.event(of:)) {
            return .finished(result)
        }
        return .unknown("the attempt was submitted before a restart and its result was never recorded")
    }

    private func run(_ scenario: TestTransportScenario, ref: AttemptRef, pages: Int) async {
        let delay = configuration.stepDelay
        do {
            try await clock.sleep(for: delay)
            switch scenario {
            case .deliver:
                for page in 1...max(1, pages) { report(ref, .progress(pagesSent: page)) }
                finish(ref, .completed(pagesSent: pages))
            case .busy:
                finish(ref, .failed(.busy, detail: "test transport: busy", pagesSent: 0))
            case .noAnswer:
                finish(ref, .failed(.noAnswer, detail: "test transport: no answer", pagesSent: 0))
            case .lineErrorAfterFirstPage:
                report(ref, .progress(pagesSent: 1))
                try await clock.sleep(for: delay)
                finish(ref, .failed(.lineError, detail: "test transport: line dropped after page 1", pagesSent: 1))
            case .ringForever:
                while true { try await clock.sleep(for: 3600) }
            case .silence:
                return
            }
        } catch {
            finish(ref, .canceledByTransport)
        }
    }

    private func report(_ ref: AttemptRef, _ event: JobEvent) {
        continuation.yield(TransportReport(ref: ref, event: event))
    }

    private func finish(_ ref: AttemptRef, _ event: JobEvent) {
        calls[ref] = nil
        results[ref] = event
        var entry = TestTransportJournal.Entry(job: ref.jobID, attempt: ref.attempt, event: "result")
        switch event {
        case .completed(let pages):
            entry.result = "completed"
            entry.pages = pages
        case .failed(let cause, _, let pages):
            entry.result = "failed"
            entry.cause = cause.rawValue
            entry.pages = pages
        default:
            entry.result = "canceled"
        }
        journal?.append(entry)
        report(ref, event)
    }

    /// The test transport is up when its journal (the far end's memory) can be written.
    public func checkHealth() async -> TransportHealthCheck {
        guard let journal else { return .healthy }
        return journal.isWritable ? .healthy : .unhealthy("the test transport journal cannot be written")
    }
}
