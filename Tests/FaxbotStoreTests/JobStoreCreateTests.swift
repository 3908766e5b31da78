import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@Suite struct JobStoreCreateTests {
    @Test(arguments: StoreKind.allCases)
    func createdJobIsReadableAsGiven(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = StoreFixture.job(1)

        let result = try await store.create(StoreFixture.newJob(job))

        #expect(result == .created(job))
        #expect(try await store.job(id: job.id) == job)
    }

    @Test(arguments: StoreKind.allCases)
    func createdJobKeepsEveryField(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = Job(
            id: StoreFixture.jobID(7), to: StoreFixture.number("15557654321"), pagesTotal: nil, maxAttempts: 5,
            backend: "sip", header: nil, from: nil, resolution: .fine, nextAttemptAt: StoreFixture.at(90),
            createdAt: StoreFixture.at(12), updatedAt: StoreFixture.at(13)
        )

        try await StoreFixture.create(job, in: store)

        let stored = try #require(try await store.job(id: job.id))
        #expect(stored == job)
        #expect(stored.to.rawValue == "15557654321")
        #expect(stored.pagesTotal == nil)
        #expect(stored.nextAttemptAt == StoreFixture.at(90))
        #expect(stored.updatedAt == StoreFixture.at(13))
    }

    @Test(arguments: StoreKind.allCases)
    func documentIsReadableByJobID(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = StoreFixture.job(2)

        try await StoreFixture.create(job, in: store)

        #expect(try await store.document(jobID: job.id) == StoreFixture.document(for: job))
        #expect(try await store.document(jobID: StoreFixture.jobID(99)) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func firstEventIsAccepted(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = StoreFixture.job(3, createdAt: StoreFixture.at(5), pagesTotal: 4)

        try await StoreFixture.create(job, in: store)

        let events = try await store.events(jobID: job.id)
        #expect(events.count == 1)
        let first = try #require(events.first)
        #expect(first.jobID == job.id)
        #expect(first.seq == 1)
        #expect(first.event == "accepted")
        #expect(first.from == nil)
        #expect(first.to == .queued)
        #expect(first.cause == nil)
        #expect(first.source == .api)
        #expect(first.at == StoreFixture.at(5))
        #expect(first.detail == "4 page(s), backend test")
    }

    @Test(arguments: StoreKind.allCases)
    func acceptedEventSaysWhenPagesAreUnknown(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = StoreFixture.job(4, pagesTotal: nil)

        try await StoreFixture.create(job, in: store)

        #expect(try await store.events(jobID: job.id).map(\.detail) == ["pages unknown, backend test"])
    }

    @Test(arguments: StoreKind.allCases)
    func unknownJobIsNil(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)

        #expect(try await store.job(id: StoreFixture.jobID(42)) == nil)
        #expect(try await store.events(jobID: StoreFixture.jobID(42)).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func secondJobWithTheSameIDIsRefusedAndTheFirstIsKept(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let first = StoreFixture.job(5)
        var second = StoreFixture.job(5, to: "+15559998888", createdAt: StoreFixture.at(60))
        second.backend = "other"

        try await StoreFixture.create(first, in: store)

        await #expect(throws: StoreError.self) {
            _ = try await store.create(StoreFixture.newJob(second))
        }
        #expect(try await store.job(id: first.id) == first)
        #expect(try await store.events(jobID: first.id).count == 1)
        #expect(try await store.document(jobID: first.id) == StoreFixture.document(for: first))
    }

    @Test(arguments: StoreKind.allCases)
    func failedCreateInABatchDoesNotAffectItsNeighbours(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        try await StoreFixture.create(StoreFixture.job(1), in: store)

        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 1...20 {
                group.addTask {
                    do {
                        _ = try await store.create(StoreFixture.newJob(StoreFixture.job(n, createdAt: StoreFixture.at(n))))
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (n, succeeded) in group { outcomes[n] = succeeded }
            return outcomes
        }

        #expect(outcomes[1] == false)
        #expect((2...20).allSatisfy { outcomes[$0] == true })
        for n in 2...20 {
            #expect(try await store.job(id: StoreFixture.jobID(n)) == StoreFixture.job(n, createdAt: StoreFixture.at(n)))
            #expect(try await store.events(jobID: StoreFixture.jobID(n)).count == 1)
        }
        #expect(try await store.job(id: StoreFixture.jobID(1)) == StoreFixture.job(1))
    }
}
