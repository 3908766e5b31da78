import Logging
import NIOCore
import Synchronization

extension ESLConnection {
    /// Registers, writes and awaits one command.
    ///
    /// Registration and the write are queued under one lock, so the order on the wire is the order
    /// of the reply FIFO.
    ///
    /// - Parameter session: `nil` for user commands (a ready session is required); a session id for
    ///   the login and keepalive commands of that session.
    func perform(
        text: String,
        label: String,
        expect: PendingCommand.Expect,
        role: PendingCommand.Role,
        timeout: Duration,
        session: UInt64?
    ) async -> Result<ESLFrame, ESLError> {
        let registration: Result<UInt64, ESLError> = core.withLock { core in
            if core.stopped { return .failure(.shuttingDown) }
            guard let active = core.session else { return .failure(.notConnected(Self.reason(core.state))) }
            if let session {
                guard active.id == session else { return .failure(.connectionLost) }
            } else if !active.ready {
                return .failure(.notConnected("connecting"))
            }
            core.nextCommandID += 1
            let id = core.nextCommandID
            core.pending[id] = PendingCommand(id: id, label: label, expect: expect, role: role, sessionID: active.id)
            core.replyQueue.append(QueuedReply(id: id, expect: expect, role: role))
            let channel = active.channel
            let buffer = ByteBuffer(string: text)
            channel.eventLoop.execute { channel.writeAndFlush(buffer, promise: nil) }
            return .success(id)
        }
        let id: UInt64
        switch registration {
        case .success(let value): id = value
        case .failure(let error): return .failure(error)
        }
        logger.trace("ESL command sent", metadata: ["esl.command": "\(role == .auth ? "auth" : label)"])
        let timer = startTimer(id, label: role == .auth ? "auth" : label, timeout: timeout)
        defer { timer.cancel() }
        return await awaitOutcome(id)
    }

    /// Registers the `auth/request` greeting as the first expected "reply" of a new session.
    func expectGreeting(session: UInt64) -> UInt64 {
        core.withLock { core in
            core.nextCommandID += 1
            let id = core.nextCommandID
            core.pending[id] = PendingCommand(id: id, label: "auth/request", expect: .greeting, role: .user, sessionID: session)
            core.replyQueue.append(QueuedReply(id: id, expect: .greeting, role: .user))
            return id
        }
    }

    /// Waits until the pending command `id` has an outcome, then removes it.
    func awaitOutcome(_ id: UInt64) async -> Result<ESLFrame, ESLError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<ESLFrame, ESLError>, Never>) in
                let ready: Result<ESLFrame, ESLError>? = core.withLock { core in
                    guard var pending = core.pending[id] else { return .failure(.connectionLost) }
                    if let outcome = pending.outcome {
                        core.pending[id] = nil
                        return outcome
                    }
                    pending.waiter = continuation
                    core.pending[id] = pending
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.resolve(id, .failure(.shuttingDown))
        }
    }

    /// Starts a task that, after `timeout`, fails command `id` and drops its session; cancel it when done.
    func startTimer(_ id: UInt64, label: String, timeout: Duration) -> Task<Void, Never> {
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled, let self else { return }
            self.timedOut(id, label: label, timeout: timeout)
        }
    }

    private func timedOut(_ id: UInt64, label: String, timeout: Duration) {
        let channel: (any Channel)? = core.withLock { core in
            guard let pending = core.pending[id], pending.outcome == nil, var active = core.session,
                active.id == pending.sessionID
            else { return nil }
            if active.endReason == nil {
                active.endReason = "no reply to \(label) within \(timeout)"
                core.session = active
            }
            return active.channel
        }
        resolve(id, .failure(.timeout(command: label)))
        if let channel {
            logger.warning("ESL command timed out, dropping the session", metadata: ["esl.command": "\(label)"])
            channel.close(promise: nil)
        }
    }

    /// Completes a pending command once; later outcomes for the same id are ignored.
    func resolve(_ id: UInt64, _ outcome: Result<ESLFrame, ESLError>) {
        let waiter: CheckedContinuation<Result<ESLFrame, ESLError>, Never>? = core.withLock { core in
            guard var pending = core.pending[id], pending.outcome == nil else { return nil }
            if let waiter = pending.waiter {
                core.pending[id] = nil
                return waiter
            }
            pending.outcome = outcome
            core.pending[id] = pending
            return nil
        }
        waiter?.resume(returning: outcome)
    }

    /// Fails every pending command of a session (or all of them when `session` is `nil`).
    func failPending(session: UInt64?, with error: ESLError) {
        let waiters: [CheckedContinuation<Result<ESLFrame, ESLError>, Never>] = core.withLock { core in
            var waiters: [CheckedContinuation<Result<ESLFrame, ESLError>, Never>] = []
            for (id, pending) in core.pending where session == nil || pending.sessionID == session {
                guard pending.outcome == nil else { continue }
                if let waiter = pending.waiter {
                    waiters.append(waiter)
                    core.pending[id] = nil
                } else {
                    core.pending[id]?.outcome = .failure(error)
                }
            }
            if session == nil || core.session == nil || core.session?.id == session { core.replyQueue = [] }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: .failure(error)) }
    }

    static func reason(_ state: ESLSessionState) -> String {
        switch state {
        case .connecting: return "connecting"
        case .connected: return "connected"
        case .disconnected(let reason): return reason
        case .authenticationFailed(let message): return "authentication failed: \(message)"
        case .stopped: return "stopped"
        }
    }
}
