import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import Testing

@testable import FaxbotServer

/// What the spool keeps at start: uploads of known jobs, derived files only while a job runs.
@Suite struct SpoolCleanupTests {
    @Test func filesWithoutAJobAndDerivedFilesOfEndedJobsAreRemoved() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try Spool(directory: directory)
        let store = InMemoryJobStore()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func create(_ id: String) async throws -> Job {
            let job = Job(id: id, to: try PhoneNumber(parsing: "+15551230000"), pagesTotal: 1, maxAttempts: 3, backend: "test", createdAt: now)
            let document = StoredDocument(jobID: id, kind: .pdf, sizeBytes: 1, sha256: "00", path: "\(id).pdf", createdAt: now)
            guard case .created(let created) = try await store.create(NewJob(job: job, document: document, idempotency: nil)) else {
                throw CocoaError(.fileWriteUnknown)
            }
            return created
        }
        let running = try await create(JobID.make())
        let ended = try await create(JobID.make())
        _ = try await store.apply(.cancelRequested, to: ended.id, source: .api, context: TransitionContext(now: now))
        let orphan = JobID.make()
        let names = [
            "\(running.id).pdf", "\(running.id).fax.tif", "\(ended.id).pdf", "\(ended.id).fax.tif", "\(ended.id).fax.tif.result",
            "\(orphan).txt", "\(orphan).fax.pdf", "not-a-job.pdf",
        ]
        for name in names { #expect(FileManager.default.createFile(atPath: spool.path(of: name), contents: Data("x".utf8))) }
        var logger = Logger(label: "spool-test")
        logger.logLevel = .critical
        await spool.removeOrphanDocuments(store: store, logger: logger)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "incoming" })
        #expect(left == ["\(running.id).pdf", "\(running.id).fax.tif", "\(ended.id).pdf", "not-a-job.pdf"])
    }
}
