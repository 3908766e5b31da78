import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@Suite struct JobStoreIdempotencyTests {
    @Test(arguments: StoreKind.allCases)
    func sameKeyAndFingerprintReturnsTheOriginalJob(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let original = StoreFixture.job(1)
        let retry = StoreFixture.job(2, createdAt: StoreFixture.at(30))

        #expect(try await store.create(StoreFixture.newJob(original, key: "key-1", fingerprint: "fp-a")) == .created(original))
        let again = try await store.create(StoreFixture.newJob(retry, key: "key-1", fingerprint: "fp-a"))

        #expect(again == .existing(original))
        #expect(try await store.job(id: retry.id) == nil)
        #expect(try await store.document(jobID: retry.id) == nil)
        #expect(try await store.events(jobID: original.id).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func existingReturnsTheJobAsItIsNow(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let original = StoreFixture.job(1)
        _ = try await store.create(StoreFixture.newJob(original, key: "key-1"))
        let claimed = try StoreFixture.applied(
            try await store.apply(.claim, to: original.id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(5)))
        )

        let again = try await store.create(StoreFixture.newJob(StoreFixture.job(2), key: "key-1"))

        #expect(again == .existing(claimed.job))
    }

    @Test(arguments: StoreKind.allCases)
    func sameKeyWithADifferentFingerprintIsAConflict(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let original = StoreFixture.job(1)
        let other = StoreFixture.job(2)
        _ = try await store.create(StoreFixture.newJob(original, key: "key-1", fingerprint: "fp-a"))

        let conflict = try await store.create(StoreFixture.newJob(other, key: "key-1", fingerprint: "fp-b"))

        #expect(conflict == .keyConflict)
        #expect(try await store.job(id: other.id) == nil)
        #expect(try await store.job(id: original.id) == original)
        #expect(try await store.create(StoreFixture.newJob(other, key: "key-1", fingerprint: "fp-a")) == .existing(original))
    }

    @Test(arguments: StoreKind.allCases)
    func differentKeysCreateDifferentJobs(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let first = StoreFixture.job(1)
        let second = StoreFixture.job(2)

        #expect(try await store.create(StoreFixture.newJob(first, key: "key-1", fingerprint: "fp")) == .created(first))
        #expect(try await store.create(StoreFixture.newJob(second, key: "key-2", fingerprint: "fp")) == .created(second))
        #expect(try await store.create(StoreFixture.newJob(StoreFixture.job(3))) == .created(StoreFixture.job(3)))
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentCreatesWithOneKeyMakeExactlyOneJob(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)

        let results = try await withThrowingTaskGroup(of: CreateResult.self) { group in
            for n in 1...200 {
                group.addTask {
                    try await store.create(StoreFixture.newJob(StoreFixture.job(n), key: "shared-key", fingerprint: "same-request"))
                }
            }
            var results: [CreateResult] = []
            for try await result in group { results.append(result) }
            return results
        }

        var created: [Job] = []
        var existing: [Job] = []
        for result in results {
            switch result {
            case .created(let job): created.append(job)
            case .existing(let job): existing.append(job)
            case .keyConflict: Issue.record("unexpected key conflict")
            }
        }
        #expect(results.count == 200)
        #expect(created.count == 1)
        #expect(existing.count == 199)
        let winner = try #require(created.first)
        #expect(existing.allSatisfy { $0 == winner })
        #expect(try await store.job(id: winner.id) == winner)
        #expect(try await store.jobs(status: .queued) == [winner])
    }
}
