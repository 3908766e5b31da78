/// Keeps conversion worker processes started ahead of need, so a document's conversion does not
/// wait for a process to start (about as long as Ghostscript takes for a page). Each worker
/// converts one document and exits; a spare replaces it at once.
actor WorkerPool {
    private let executable: String
    private let spareCount: Int
    private var spares: [StandbyWorker] = []

    init(executable: String, spares: Int) {
        self.executable = executable
        self.spareCount = max(1, spares)
    }

    /// A live worker: a spare when one is ready, else a new one; nil when none can be started.
    func worker() -> StandbyWorker? {
        spares.removeAll { !$0.isRunning }
        let worker = spares.isEmpty ? StandbyWorker.spawn(executable: executable) : spares.removeFirst()
        refill()
        return worker
    }

    private func refill() {
        while spares.count < spareCount, let spare = StandbyWorker.spawn(executable: executable) {
            spares.append(spare)
        }
    }
}
