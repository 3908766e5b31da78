import FaxbotCore
import FaxbotStore
import Foundation
import GRDB
import Testing

@Suite struct SQLiteDatabaseTests {
    private static let migrations = ["v1-jobs-events-documents-idempotency-keys", "v2-inbound"]

    @Test func fileDatabaseListsItsMigrationOnceAcrossReopens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("faxbot.sqlite")

        #expect(try SQLiteDatabase(path: path).appliedMigrations() == Self.migrations)
        #expect(try SQLiteDatabase(path: path).appliedMigrations() == Self.migrations)
    }

    @Test func inMemoryDatabaseIsMigrated() throws {
        #expect(try SQLiteDatabase.inMemory().appliedMigrations() == Self.migrations)
    }

    @Test func inMemoryDatabasesAreIndependent() async throws {
        let first = SQLiteJobStore(database: try SQLiteDatabase.inMemory())
        let second = SQLiteJobStore(database: try SQLiteDatabase.inMemory())

        try await StoreFixture.create(StoreFixture.job(1), in: first)

        #expect(try await second.job(id: StoreFixture.jobID(1)) == nil)
    }

    @Test func reopenedFileDatabaseKeepsEverything() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("faxbot.sqlite")
        let job = StoreFixture.job(1, pagesTotal: 1)
        let key = APIKeyRecord(
            keyID: "key1", name: "frontdesk", secretHMAC: "hmac", scopes: [.faxSend], createdAt: StoreFixture.at(0)
        )
        var delivered: Job?
        var events: [JobEventRecord] = []
        do {
            let database = try SQLiteDatabase(path: path)
            let store = SQLiteJobStore(database: database)
            _ = try await store.create(StoreFixture.newJob(job, key: "idem-1", fingerprint: "fp"))
            _ = try await store.apply(.claim, to: job.id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(1)))
            delivered = try StoreFixture.applied(
                try await store.apply(
                    .completed(pagesSent: 1), to: job.id, attempt: 1, source: .transport, context: StoreFixture.context(StoreFixture.at(2))
                )
            ).job
            try await SQLiteKeyStore(database: database).insert(key)
            events = try await store.events(jobID: job.id)
        }

        let database = try SQLiteDatabase(path: path)
        let reopened = SQLiteJobStore(database: database)

        let deliveredJob = try #require(delivered)
        #expect(try await reopened.job(id: job.id) == deliveredJob)
        #expect(try await reopened.document(jobID: job.id) == StoreFixture.document(for: job))
        #expect(try await reopened.events(jobID: job.id) == events)
        #expect(events.count == 3)
        #expect(try await reopened.create(StoreFixture.newJob(StoreFixture.job(2), key: "idem-1", fingerprint: "fp")) == .existing(deliveredJob))
        #expect(try await reopened.create(StoreFixture.newJob(StoreFixture.job(2), key: "idem-1", fingerprint: "other")) == .keyConflict)
        #expect(try await SQLiteKeyStore(database: database).key(id: "key1") == key)
        #expect(try database.appliedMigrations() == Self.migrations)
    }

    @Test func eventLogIsAppendOnlyForEveryConnection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("faxbot.sqlite")
        let store = SQLiteJobStore(database: try SQLiteDatabase(path: path))
        let job = try await StoreFixture.create(StoreFixture.job(1), in: store)
        _ = try await store.apply(.claim, to: job.id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(1)))
        let before = try await store.events(jobID: job.id)

        let raw = try DatabaseQueue(path: path)
        let update = #expect(throws: DatabaseError.self) {
            try raw.write { db in try db.execute(sql: "UPDATE job_events SET detail = 'rewritten' WHERE job_id = ?", arguments: [job.id]) }
        }
        let delete = #expect(throws: DatabaseError.self) {
            try raw.write { db in try db.execute(sql: "DELETE FROM job_events WHERE job_id = ?", arguments: [job.id]) }
        }
        let deleteAll = #expect(throws: DatabaseError.self) {
            try raw.write { db in try db.execute(sql: "DELETE FROM job_events") }
        }

        #expect(update?.message?.contains("append-only") == true)
        #expect(delete?.message?.contains("append-only") == true)
        #expect(deleteAll?.message?.contains("append-only") == true)
        #expect(try await raw.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job_events") } == 2)
        #expect(try await store.events(jobID: job.id) == before)
        try raw.close()
    }

    @Test func eventLogStillAcceptsAppends() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("faxbot.sqlite")
        let store = SQLiteJobStore(database: try SQLiteDatabase(path: path))
        let job = try await StoreFixture.create(StoreFixture.job(1), in: store)

        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in
            try db.execute(
                sql: "INSERT INTO job_events (job_id, seq, event, to_status, source, at) VALUES (?, 2, 'note', 'queued', 'operator', 0)",
                arguments: [job.id]
            )
        }
        try raw.close()

        #expect(try await store.events(jobID: job.id).map(\.event) == ["accepted", "note"])
    }

    @Test func databaseFileIsReadableByItsOwnerOnly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("faxbot.sqlite")
        let database = try SQLiteDatabase(path: path)
        let store = SQLiteJobStore(database: database)
        try await StoreFixture.create(StoreFixture.job(1), in: store)

        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
            #expect(mode == 0o600, "mode of \(file) is \(String(mode, radix: 8))")
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func fileThatIsNotADatabaseIsADatabaseError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("faxbot.sqlite")
        try Data(repeating: 0x41, count: 4_096).write(to: URL(fileURLWithPath: path))

        #expect(throws: StoreError.self) { try SQLiteDatabase(path: path) }
    }

    @Test func groupCommitBatchesConcurrentCreates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = SQLiteJobStore(database: try SQLiteDatabase(path: directory.path("faxbot.sqlite")))

        let results = try await withThrowingTaskGroup(of: CreateResult.self) { group in
            for n in 1...200 {
                group.addTask { try await store.create(StoreFixture.newJob(StoreFixture.job(n, createdAt: StoreFixture.at(n)))) }
            }
            var results: [CreateResult] = []
            for try await result in group { results.append(result) }
            return results
        }

        let batches = await store.commitBatches
        #expect(results.count == 200)
        #expect(results.allSatisfy { if case .created = $0 { true } else { false } })
        #expect(batches >= 1)
        #expect(batches < 200)
        #expect(try await store.list(JobQuery(limit: 500)).jobs.count == 200)
        for n in [1, 100, 200] {
            #expect(try await store.events(jobID: StoreFixture.jobID(n)).count == 1)
        }
    }

    @Test func sequentialCreatesCommitOneBatchEach() async throws {
        let store = SQLiteJobStore(database: try SQLiteDatabase.inMemory())

        for n in 1...3 { try await StoreFixture.create(StoreFixture.job(n), in: store) }

        #expect(await store.commitBatches == 3)
    }
}
