import Logging
import NIOCore
import Synchronization

extension AMIConnection {
    /// Registers, writes and awaits one action.
    ///
    /// - Parameter session: `nil` for user actions (a logged-in session is required); a session id
    ///   for the login and keepalive actions of that session.
    func perform(
        text: String,
        actionID: String,
        action: String,
        timeout: Duration,
        session: UInt64?
    ) async -> Result<AMIResponse, AMIError> {
        let registration: Result<NIOAsyncChannelOutboundWriter<ByteBuffer>, AMIError> = core.withLock { core in
            if core.stopped { return .failure(.shuttingDown) }
            guard let active = core.session else { return .failure(.notConnected(Self.reason(core.state))) }
            if let session {
                guard active.id == session else { return .failure(.connectionLost) }
            } else if !active.loggedIn {
                return .failure(.notConnected("logging in"))
            }
            guard core.pending[actionID] == nil else {
                return .failure(.invalidAction("ActionID \(actionID) is already pending"))
            }
            core.pending[actionID] = PendingAction(action: action, sessionID: active.id)
            return .success(active.writer)
        }
        let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
        switch registration {
        case .success(let value): writer = value
        case .failure(let error): return .failure(error)
        }
        logger.trace("AMI action sent", metadata: ["ami.action": "\(action)", "ami.actionID": "\(actionID)"])

        let timer = startTimer(actionID, action: action, timeout: timeout)
        defer { timer.cancel() }

        do {
            try await writer.write(ByteBuffer(string: text))
        } catch {
            resolve(actionID, .failure(Task.isCancelled ? .shuttingDown : .connectionLost))
        }

        return await awaitOutcome(actionID)
    }

    /// Waits until the pending action `actionID` has an outcome, then removes it.
    func awaitOutcome(_ actionID: String) async -> Result<AMIResponse, AMIError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<AMIResponse, AMIError>, Never>) in
                let ready: Result<AMIResponse, AMIError>? = core.withLock { core in
                    guard var pending = core.pending[actionID] else { return .failure(.connectionLost) }
                    if let outcome = pending.outcome {
                        core.pending[actionID] = nil
                        return outcome
                    }
                    pending.waiter = continuation
                    core.pending[actionID] = pending
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.resolve(actionID, .failure(.shuttingDown))
        }
    }

    /// Starts a task that fails `actionID` with a timeout after `timeout`; cancel it when done.
    func startTimer(_ actionID: String, action: String, timeout: Duration) -> Task<Void, Never> {
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self?.resolve(actionID, .failure(.timeout(action: action)))
        }
    }

    /// Completes a pending action once; later outcomes for the same id are ignored.
    func resolve(_ actionID: String, _ outcome: Result<AMIResponse, AMIError>) {
        let waiter: CheckedContinuation<Result<AMIResponse, AMIError>, Never>? = core.withLock { core in
            guard var pending = core.pending[actionID], pending.outcome == nil else { return nil }
            if let waiter = pending.waiter {
                core.pending[actionID] = nil
                return waiter
            }
            pending.outcome = outcome
            core.pending[actionID] = pending
            return nil
        }
        waiter?.resume(returning: outcome)
    }

    /// Fails every pending action of a session (or all of them when `session` is `nil`).
    func failPending(session: UInt64?, with error: AMIError) {
        let waiters: [CheckedContinuation<Result<AMIResponse, AMIError>, Never>] = core.withLock { core in
            var waiters: [CheckedContinuation<Result<AMIResponse, AMIError>, Never>] = []
            for (id, pending) in core.pending where session == nil || pending.sessionID == session {
                guard pending.outcome == nil else { continue }
                if let waiter = pending.waiter {
                    waiters.append(waiter)
                    core.pending[id] = nil
                } else {
                    core.pending[id]?.outcome = .failure(error)
                }
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: .failure(error)) }
    }

    static func reason(_ state: AMISessionState) -> String {
        switch state {
        case .connecting: return "connecting"
        case .connected: return "connected"
        case .disconnected(let reason): return reason
        case .authenticationFailed(let message): return "authentication failed: \(message)"
        case .stopped: return "stopped"
        }
    }
}
