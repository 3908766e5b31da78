import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@Suite struct JobStoreQueryTests {
    /// Queued jobs with various retry times, one in flight and one canceled.
    private static func seedDueJobs(_ store: any JobStore) async throws {
        try await StoreFixture.create(StoreFixture.job(1, createdAt: StoreFixture.at(0)), in: store)
        try await StoreFixture.create(StoreFixture.job(2, createdAt: StoreFixture.at(1), nextAttemptAt: StoreFixture.at(100)), in: store)
        try await StoreFixture.create(StoreFixture.job(3, createdAt: StoreFixture.at(2), nextAttemptAt: StoreFixture.at(10)), in: store)
        try await StoreFixture.create(StoreFixture.job(4, createdAt: StoreFixture.at(3)), in: store)
        try await StoreFixture.create(StoreFixture.job(5, createdAt: StoreFixture.at(4)), in: store)
        try await StoreFixture.create(StoreFixture.job(6, createdAt: StoreFixture.at(5), nextAttemptAt: StoreFixture.at(50)), in: store)
        let context = StoreFixture.context(StoreFixture.at(6))
        _ = try StoreFixture.applied(try await store.apply(.claim, to: StoreFixture.jobID(4), source: .dispatcher, context: context))
        _ = try StoreFixture.applied(try await store.apply(.cancelRequested, to: StoreFixture.jobID(5), source: .api, context: context))
    }

    @Test(arguments: StoreKind.allCases)
    func dueJobsAreQueuedAndDueOldestFirst(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        try await Self.seedDueJobs(store)

        let atSeven = try await store.dueJobs(now: StoreFixture.at(7), limit: 10)
        let atFifty = try await store.dueJobs(now: StoreFixture.at(50), limit: 10)
        let atHundred = try await store.dueJobs(now: StoreFixture.at(100), limit: 10)

        #expect(atSeven.map(\.id) == [1].map(StoreFixture.jobID))
        #expect(atFifty.map(\.id) == [1, 3, 6].map(StoreFixture.jobID))
        #expect(atHundred.map(\.id) == [1, 3, 6, 2].map(StoreFixture.jobID))
        #expect(atHundred.allSatisfy { $0.status == .queued })
    }

    @Test(arguments: StoreKind.allCases)
    func dueJobsRespectsTheLimit(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        try await Self.seedDueJobs(store)

        #expect(try await store.dueJobs(now: StoreFixture.at(100), limit: 2).map(\.id) == [1, 3].map(StoreFixture.jobID))
        #expect(try await store.dueJobs(now: StoreFixture.at(100), limit: 0).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func dueJobsBreaksTiesByCreationThenID(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        for n in [9, 7, 8] { try await StoreFixture.create(StoreFixture.job(n, createdAt: StoreFixture.at(1)), in: store) }
        try await StoreFixture.create(StoreFixture.job(1, createdAt: StoreFixture.at(2)), in: store)

        #expect(try await store.dueJobs(now: StoreFixture.at(2), limit: 10).map(\.id) == [7, 8, 9, 1].map(StoreFixture.jobID))
    }

    @Test(arguments: StoreKind.allCases)
    func jobsByStatus(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        try await Self.seedDueJobs(store)

        #expect(try await store.jobs(status: .queued).map(\.id) == [1, 2, 3, 6].map(StoreFixture.jobID))
        #expect(try await store.jobs(status: .inProgress).map(\.id) == [StoreFixture.jobID(4)])
        #expect(try await store.jobs(status: .canceled).map(\.id) == [StoreFixture.jobID(5)])
        #expect(try await store.jobs(status: .delivered).isEmpty)
    }

    /// 25 jobs, three per second of creation so that many share `created_at`; every third to another number.
    private static func seedList(_ store: any JobStore) async throws -> [Job] {
        var jobs: [Job] = []
        for n in 1...25 {
            let job = StoreFixture.job(n, to: n % 3 == 0 ? "+15557770000" : StoreFixture.defaultNumber, createdAt: StoreFixture.at(n / 3))
            jobs.append(try await StoreFixture.create(job, in: store))
        }
        return jobs
    }

    private static func newestFirst(_ jobs: [Job]) -> [Job] {
        jobs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    /// Follows `next_cursor` (through its token, as a client would) until the last page.
    private static func allPages(_ store: any JobStore, _ query: JobQuery) async throws -> [[Job]] {
        var pages: [[Job]] = []
        var query = query
        while pages.count < 100 {
            let page = try await store.list(query)
            pages.append(page.jobs)
            guard let cursor = page.nextCursor else { break }
            #expect(cursor == JobCursor(createdAt: page.jobs[page.jobs.count - 1].createdAt, id: page.jobs[page.jobs.count - 1].id))
            let parsed: JobCursor = try #require(JobCursor(token: cursor.token))
            query.cursor = parsed
        }
        return pages
    }

    @Test(arguments: StoreKind.allCases)
    func listPagesThroughEveryJobExactlyOnceNewestFirst(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let jobs = try await Self.seedList(store)

        let pages = try await Self.allPages(store, JobQuery(limit: 10))

        #expect(pages.map(\.count) == [10, 10, 5])
        let listed = pages.flatMap { $0 }
        #expect(Set(listed.map(\.id)).count == 25)
        #expect(listed == Self.newestFirst(jobs))
    }

    @Test(arguments: StoreKind.allCases)
    func listPageBoundaryInsideAGroupOfEqualCreationTimes(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let jobs = try await Self.seedList(store)

        let pages = try await Self.allPages(store, JobQuery(limit: 4))

        #expect(pages.map(\.count) == [4, 4, 4, 4, 4, 4, 1])
        #expect(pages.flatMap { $0 } == Self.newestFirst(jobs))
    }

    @Test(arguments: StoreKind.allCases)
    func lastFullPageHasNoCursor(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let jobs = try await Self.seedList(store)

        let page = try await store.list(JobQuery(limit: 25))
        let empty = try await ScratchJobStore(kind).list(JobQuery(limit: 10))

        #expect(page.jobs == Self.newestFirst(jobs))
        #expect(page.nextCursor == nil)
        #expect(empty == JobPage(jobs: [], nextCursor: nil))
    }

    @Test(arguments: StoreKind.allCases)
    func listFiltersByStatusAndNumber(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let jobs = try await Self.seedList(store)
        for n in [2, 3, 4, 6, 11] {
            _ = try StoreFixture.applied(
                try await store.apply(.cancelRequested, to: StoreFixture.jobID(n), source: .api, context: StoreFixture.context(StoreFixture.at(60)))
            )
        }

        let canceled = try await Self.allPages(store, JobQuery(status: .canceled, limit: 2)).flatMap { $0 }
        let toOther = try await Self.allPages(store, JobQuery(to: "+15557770000", limit: 3)).flatMap { $0 }
        let queuedToOther = try await store.list(JobQuery(status: .queued, to: "+15557770000", limit: 50))
        let nobody = try await store.list(JobQuery(to: "+15550000000"))

        #expect(canceled.map(\.id) == [11, 6, 4, 3, 2].map(StoreFixture.jobID))
        #expect(canceled.allSatisfy { $0.status == .canceled })
        let otherIDs = Self.newestFirst(jobs.filter { $0.to.rawValue == "+15557770000" }).map(\.id)
        #expect(toOther.map(\.id) == otherIDs)
        #expect(queuedToOther.jobs.map(\.id) == otherIDs.filter { ![StoreFixture.jobID(3), StoreFixture.jobID(6)].contains($0) })
        #expect(queuedToOther.nextCursor == nil)
        #expect(nobody.jobs.isEmpty)
    }
}
