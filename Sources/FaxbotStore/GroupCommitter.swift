/// Batches concurrent writes into one transaction, so each durable commit (one fsync) serves
/// every request that arrived while the previous commit was in flight.
actor GroupCommitter<Item: Sendable, Output: Sendable> {
    typealias Commit = @Sendable ([Item]) async throws(StoreError) -> [Result<Output, StoreError>]

    private var pending: [(item: Item, continuation: CheckedContinuation<Result<Output, StoreError>, Never>)] = []
    private var draining = false
    private let commit: Commit
    private let maxBatch: Int

    /// How many batches were committed; lets tests and benchmarks see the batching.
    private(set) var batchCount = 0

    init(maxBatch: Int = 256, commit: @escaping Commit) {
        self.maxBatch = maxBatch
        self.commit = commit
    }

    func submit(_ item: Item) async throws(StoreError) -> Output {
        let result = await withCheckedContinuation { continuation in
            pending.append((item, continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        return try result.get()
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            batchCount += 1
            let results: [Result<Output, StoreError>]
            do {
                results = try await commit(batch.map(\.item))
            } catch {
                results = Array(repeating: .failure(error), count: batch.count)
            }
            for (entry, result) in zip(batch, results) { entry.continuation.resume(returning: result) }
        }
        draining = false
    }
}
