import FaxImaging
import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import Testing

@testable import FaxbotServer

/// A dispatcher on an in-memory store, the test transport and a manual clock.
struct DispatcherFixture {
    let store: InMemoryJobStore
    let clock: ManualClock
    let transport: TestTransport
    let dispatcher: Dispatcher
    let directory: String
    let journalPath: String
    let spoolDirectory: String

    init(
        concurrency: Int = 4,
        documentFormat: TransportDocumentFormat = .original,
        converter: String = "/nonexistent/faxbot",
        monitor: ProviderHealthMonitor? = nil,
        callTimeout: TimeInterval = 600,
        drainTimeout: TimeInterval = 5,
        retryUncertain: Bool = false,
        directory: String? = nil,
        store: InMemoryJobStore = InMemoryJobStore(),
        clock: ManualClock = ManualClock()
    ) throws {
        self.store = store
        self.clock = clock
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-\(UUID().uuidString)").path
        self.directory = directory
        self.spoolDirectory = (directory as NSString).appendingPathComponent("spool")
        self.journalPath = (directory as NSString).appendingPathComponent("journal")
        let spool = try Spool(directory: (directory as NSString).appendingPathComponent("spool"))
        transport = TestTransport(
            configuration: TestTransportConfiguration(
                stepDelay: 1, maxConcurrentCalls: concurrency, journalPath: journalPath, documentFormat: documentFormat),
            clock: clock)
        var logger = Logger(label: "dispatcher-test")
        logger.logLevel = .critical
        dispatcher = Dispatcher(
            store: store, transports: [transport], spool: spool,
            // By default the fixture's transport takes documents as uploaded: nothing is converted.
            preparer: DocumentPreparer(
                spool: spool, converter: IsolatedConverter(executable: converter), paper: .letter, fontPath: TextToPDF.defaultFontPath),
            monitor: monitor,
            clock: clock,
            settings: DispatcherSettings(
                retryUncertain: retryUncertain, pollInterval: 10, callTimeout: callTimeout, drainTimeout: drainTimeout, jitter: { 0.5 }),
            logger: logger
        )
    }

    /// Creates a queued job for `to`, as the API would.
    @discardableResult
    func submit(_ to: String, pages: Int = 2, id: String = JobID.make()) async throws -> Job {
        let job = Job(id: id, to: try PhoneNumber(parsing: to), pagesTotal: pages, maxAttempts: 3, backend: "test", createdAt: clock.now())
        let document = StoredDocument(jobID: id, kind: .pdf, sizeBytes: 10, sha256: "00", path: "\(id).pdf", createdAt: clock.now())
        guard case .created(let created) = try await store.create(NewJob(job: job, document: document, idempotency: nil)) else {
            throw FixtureError.notCreated
        }
        dispatcher.wake()
        return created
    }

    /// Creates a queued job whose document really is in the spool, as the API would store it.
    func submit(_ to: String, document: [UInt8], kind: DocumentKind) async throws -> Job {
        let id = JobID.make()
        let name = "\(id).\(kind.fileExtension)"
        let path = (spoolDirectory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(document), attributes: [.posixPermissions: 0o600]) else {
            throw FixtureError.notCreated
        }
        let job = Job(id: id, to: try PhoneNumber(parsing: to), pagesTotal: nil, maxAttempts: 3, backend: "test", createdAt: clock.now())
        let stored = StoredDocument(jobID: id, kind: kind, sizeBytes: document.count, sha256: "00", path: name, createdAt: clock.now())
        guard case .created(let created) = try await store.create(NewJob(job: job, document: stored, idempotency: nil)) else {
            throw FixtureError.notCreated
        }
        dispatcher.wake()
        return created
    }

    func status(_ job: Job) async -> JobStatus? { await store.job(id: job.id)?.status }

    func job(_ job: Job) async throws -> Job { try #require(await store.job(id: job.id)) }

    /// Waits (bounded) until `condition` holds; the dispatcher works on other tasks meanwhile.
    func eventually(_ what: String, _ condition: () async -> Bool) async throws {
        for _ in 0..<2000 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("timed out waiting until \(what)")
        throw FixtureError.timedOut
    }

    /// Waits until `count` tasks sleep on the clock, then moves it forward.
    func advance(by seconds: TimeInterval, whenSleepers count: Int) async throws {
        try await eventually("\(count) sleepers") { clock.sleeperCount >= count }
        clock.advance(by: seconds)
    }

    /// The same store, clock and files with a new dispatcher and transport: a daemon restart.
    func restarted(callTimeout: TimeInterval = 600) throws -> DispatcherFixture {
        try DispatcherFixture(callTimeout: callTimeout, directory: directory, store: store, clock: clock)
    }

    /// Puts a job in flight as a crashed run would have left it.
    func leaveInFlight(_ job: Job) async throws {
        _ = try await store.apply(.claim, to: job.id, source: .dispatcher, context: TransitionContext(now: clock.now()))
    }

    func removeFiles() { try? FileManager.default.removeItem(atPath: directory) }

    enum FixtureError: Error {
        case notCreated
        case timedOut
    }
}

/// Runs the dispatcher for the duration of `body`, then cancels it.
func withDispatcher(_ fixture: DispatcherFixture, _ body: () async throws -> Void) async throws {
    let running = Task { try await fixture.dispatcher.run() }
    defer {
        running.cancel()
        fixture.removeFiles()
    }
    try await body()
}
