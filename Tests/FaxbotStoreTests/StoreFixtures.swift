import FaxbotCore
import FaxbotStore
import Foundation
import Testing

/// The job stores every behavioural test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqliteFile
    case sqliteMemory
    case inMemory

    var testDescription: String { rawValue }
}

/// A fresh temporary directory; whoever makes one removes it (`defer { directory.remove() }`).
struct TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A job store of one kind that owns the temporary directory of its file, if any, and removes it
/// when the store goes away (so the directory lives exactly as long as the store is used).
final class ScratchJobStore: JobStore {
    private let store: any JobStore
    private let directory: TemporaryDirectory?

    init(_ kind: StoreKind) throws {
        switch kind {
        case .sqliteFile:
            let directory = try TemporaryDirectory()
            self.directory = directory
            store = SQLiteJobStore(database: try SQLiteDatabase(path: directory.path("faxbot.sqlite")))
        case .sqliteMemory:
            directory = nil
            store = SQLiteJobStore(database: try SQLiteDatabase.inMemory())
        case .inMemory:
            directory = nil
            store = InMemoryJobStore()
        }
    }

    deinit { directory?.remove() }

    func create(_ new: NewJob) async throws(StoreError) -> CreateResult { try await store.create(new) }

    func job(id: String) async throws(StoreError) -> Job? { try await store.job(id: id) }

    func document(jobID: String) async throws(StoreError) -> StoredDocument? { try await store.document(jobID: jobID) }

    func apply(
        _ event: JobEvent,
        to jobID: String,
        attempt: Int?,
        source: EventSource,
        context: TransitionContext
    ) async throws(StoreError) -> ApplyResult {
        try await store.apply(event, to: jobID, attempt: attempt, source: source, context: context)
    }

    func dueJobs(now: Date, limit: Int) async throws(StoreError) -> [Job] { try await store.dueJobs(now: now, limit: limit) }

    func jobs(status: JobStatus) async throws(StoreError) -> [Job] { try await store.jobs(status: status) }

    func list(_ query: JobQuery) async throws(StoreError) -> JobPage { try await store.list(query) }

    func events(jobID: String) async throws(StoreError) -> [JobEventRecord] { try await store.events(jobID: jobID) }
}

struct UnexpectedOutcome: Error, CustomStringConvertible {
    var description: String
}

/// Fixed, millisecond-aligned values for the store tests.
enum StoreFixture {
    static let base = Date(timeIntervalSince1970: 1_800_000_000)
    static let defaultNumber = "+15551230000"

    /// `base` plus whole seconds.
    static func at(_ seconds: Int) -> Date { base.addingTimeInterval(TimeInterval(seconds)) }

    /// A valid job id that sorts by `n`.
    static func jobID(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }

    static func number(_ text: String) -> PhoneNumber {
        do {
            return try PhoneNumber(parsing: text)
        } catch {
            fatalError("fixture number \(text) did not parse: \(error.reason)")
        }
    }

    static func job(
        _ n: Int,
        to: String = defaultNumber,
        createdAt: Date = base,
        pagesTotal: Int? = 2,
        maxAttempts: Int = 3,
        nextAttemptAt: Date? = nil
    ) -> Job {
        Job(
            id: jobID(n),
            to: number(to),
            pagesTotal: pagesTotal,
            maxAttempts: maxAttempts,
            backend: "test",
            header: "Clinic",
            from: "+15550001111",
            resolution: .standard,
            nextAttemptAt: nextAttemptAt,
            createdAt: createdAt
        )
    }

    static func document(for job: Job) -> StoredDocument {
        StoredDocument(
            jobID: job.id, kind: .pdf, sizeBytes: 4_096, sha256: String(repeating: "ab", count: 32), path: "\(job.id).pdf",
            createdAt: job.createdAt
        )
    }

    static func newJob(_ job: Job, key: String? = nil, fingerprint: String = "fingerprint-1") -> NewJob {
        NewJob(job: job, document: document(for: job), idempotency: key.map { IdempotencyClaim(key: $0, fingerprint: fingerprint) })
    }

    static func context(_ now: Date) -> TransitionContext {
        TransitionContext(now: now)
    }

    /// Creates `job`, failing the test unless the store reports it as newly created.
    @discardableResult
    static func create(_ job: Job, in store: any JobStore, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Job {
        let result = try await store.create(newJob(job))
        guard case .created(let created) = result else {
            Issue.record("expected .created, got \(result)", sourceLocation: sourceLocation)
            throw UnexpectedOutcome(description: "\(result)")
        }
        return created
    }

    /// The transition of an applied event, failing the test if the event was rejected.
    static func applied(_ result: ApplyResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> Transition {
        guard case .applied(let transition) = result else {
            Issue.record("expected .applied, got \(result)", sourceLocation: sourceLocation)
            throw UnexpectedOutcome(description: "\(result)")
        }
        return transition
    }

    /// The rejection of a rejected event, failing the test if the event was applied.
    static func rejected(_ result: ApplyResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Job, Rejection) {
        guard case .rejected(let job, let rejection) = result else {
            Issue.record("expected .rejected, got \(result)", sourceLocation: sourceLocation)
            throw UnexpectedOutcome(description: "\(result)")
        }
        return (job, rejection)
    }
}
