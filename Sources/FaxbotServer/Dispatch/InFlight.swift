import FaxTransports
import FaxbotCore
import Synchronization

/// How an attempt's wait for its result ended.
enum AttemptWait: Sendable {
    /// The job left `in_progress`.
    case finished
    /// No result within the call timeout.
    case timedOut
    /// The daemon is stopping and the drain time is over: the job stays `in_progress` and is
    /// reconciled on the next start.
    case abandoned
}

/// Book-keeping of attempts in flight: channel use per transport, busy destinations, and the
/// waiters that an attempt's result releases. Guarded by one lock; never held across `await`.
final class InFlight: Sendable {
    private struct State {
        var perTransport: [String: Int] = [:]
        var destinations: Set<String> = []
        var refs: [String: AttemptRef] = [:]
        var waiters: [String: CheckedContinuation<AttemptWait, Never>] = [:]
        var early: [String: AttemptWait] = [:]
        var stopping = false
    }

    private let state = Mutex(State())

    /// Reserves a channel and the destination; false when either is taken or the daemon is stopping.
    func reserve(_ job: Job, transport: String, limit: Int) -> Bool {
        state.withLock { state in
            guard !state.stopping, state.refs[job.id] == nil, !state.destinations.contains(String(job.to.digits)),
                state.perTransport[transport, default: 0] < limit
            else { return false }
            state.perTransport[transport, default: 0] += 1
            state.destinations.insert(String(job.to.digits))
            state.refs[job.id] = AttemptRef(jobID: job.id, attempt: job.attempts + 1)
            return true
        }
    }

    func setRef(_ ref: AttemptRef) {
        state.withLock { $0.refs[ref.jobID] = ref }
    }

    func ref(jobID: String) -> AttemptRef? { state.withLock { $0.refs[jobID] } }

    func release(_ job: Job, transport: String) {
        state.withLock { state in
            state.perTransport[transport, default: 1] -= 1
            state.destinations.remove(String(job.to.digits))
            state.refs[job.id] = nil
            state.waiters[job.id] = nil
            state.early[job.id] = nil
        }
    }

    var count: Int { state.withLock { $0.refs.count } }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Waits until ``resolve(_:with:)`` is called for the job (possibly already before this call).
    /// Cancellation of the waiting task counts as ``AttemptWait/abandoned``.
    func wait(jobID: String) async -> AttemptWait {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> AttemptWait? in
                    if let early = state.early.removeValue(forKey: jobID) { return early }
                    if Task.isCancelled { return .abandoned }
                    state.waiters[jobID] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            resolve(jobID, with: .abandoned)
        }
    }

    /// Ends the wait of one job; remembered if nobody waits yet. The first resolution wins.
    func resolve(_ jobID: String, with outcome: AttemptWait) {
        let waiter = state.withLock { state -> CheckedContinuation<AttemptWait, Never>? in
            guard state.refs[jobID] != nil else { return nil }
            if let waiter = state.waiters.removeValue(forKey: jobID) { return waiter }
            if state.early[jobID] == nil { state.early[jobID] = outcome }
            return nil
        }
        waiter?.resume(returning: outcome)
    }

    /// Stops new reservations.
    func stop() { state.withLock { $0.stopping = true } }

    /// Releases every waiter with ``AttemptWait/abandoned``.
    func abandonAll() {
        let waiters = state.withLock { state -> [CheckedContinuation<AttemptWait, Never>] in
            let all = Array(state.waiters.values)
            state.waiters.removeAll()
            for id in state.refs.keys where state.early[id] == nil { state.early[id] = .abandoned }
            return all
        }
        for waiter in waiters { waiter.resume(returning: .abandoned) }
    }
}
