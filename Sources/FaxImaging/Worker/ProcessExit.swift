import Foundation

/// Bridges a process's termination handler (any thread) to one async waiter.
final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var result: (signaled: Bool, status: Int32)?
    private var timedOut = false
    private var waiter: CheckedContinuation<(Bool, Int32, Bool), Never>?

    func finish(_ signaled: Bool, _ status: Int32) {
        lock.lock()
        result = (signaled, status)
        let waiter = self.waiter
        self.waiter = nil
        let timedOut = self.timedOut
        lock.unlock()
        waiter?.resume(returning: (signaled, status, timedOut))
    }

    var hasExited: Bool {
        lock.lock()
        defer { lock.unlock() }
        return result != nil
    }

    func markTimedOut() {
        lock.lock()
        if result == nil { timedOut = true }
        lock.unlock()
    }

    func wait() async -> (Bool, Int32, Bool) {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(returning: (result.signaled, result.status, timedOut))
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
