import Logging
import Synchronization

extension ESLConnection {
    /// Waits for `auth/request`, authenticates, subscribes, then keeps the session alive until it
    /// fails (never returns normally).
    func loginAndKeepAlive(session: UInt64, greeting: UInt64) async throws {
        try await waitForGreeting(greeting)
        try await authenticate(session: session)
        try await subscribeEvents(session: session)
        try await keepAlive(session: session)
    }

    private func waitForGreeting(_ id: UInt64) async throws {
        let timeout = configuration.commandTimeout
        let timer = startTimer(id, label: "auth/request", timeout: timeout)
        defer { timer.cancel() }
        switch await awaitOutcome(id) {
        case .success:
            return
        case .failure(.timeout):
            throw SessionEnd.lost("no auth/request within \(timeout)")
        case .failure(let error):
            throw SessionEnd.lost("waiting for auth/request: \(error)")
        }
    }

    private func authenticate(session: UInt64) async throws {
        let password = configuration.password
        guard !password.isEmpty, !password.utf8.contains(where: { $0 == 10 || $0 == 13 }) else {
            throw SessionEnd.authenticationFailed("invalid password: empty or holding CR/LF")
        }
        let reply = try await loginStep("auth \(password)\n\n", label: "auth", role: .auth, session: session)
        guard reply.hasPrefix("+OK") else {
            throw SessionEnd.authenticationFailed(reply.isEmpty ? "-ERR invalid" : reply)
        }
    }

    private func subscribeEvents(session: UInt64) async throws {
        let words = configuration.events.filter { !$0.isEmpty && !$0.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 32 }) }
        let line = "event plain " + (words.isEmpty ? "BACKGROUND_JOB" : words.joined(separator: " "))
        let reply = try await loginStep(line + "\n\n", label: line, role: .subscribe, session: session)
        guard reply.hasPrefix("+OK") else { throw SessionEnd.lost("event subscription refused: \(reply)") }
        let ready: Bool = core.withLock { core in core.session?.id == session && core.session?.ready == true }
        guard ready else { throw SessionEnd.lost("session ended while subscribing") }
        logger.info("ESL session ready", metadata: ["esl.events": "\(words.count)"])
    }

    /// Sends one login command; returns its `Reply-Text`.
    private func loginStep(_ text: String, label: String, role: PendingCommand.Role, session: UInt64) async throws -> String {
        let result = await perform(
            text: text,
            label: label,
            expect: .commandReply,
            role: role,
            timeout: configuration.commandTimeout,
            session: session
        )
        switch result {
        case .success(let frame):
            return frame.headers["Reply-Text"] ?? ""
        case .failure(.timeout):
            throw SessionEnd.lost("no reply to \(label) within \(configuration.commandTimeout)")
        case .failure(let error):
            throw SessionEnd.lost("\(label) failed: \(error)")
        }
    }

    /// Sends `api status` when nothing arrived for `pingInterval`; no reply ends the session.
    private func keepAlive(session: UInt64) async throws {
        let interval = configuration.pingInterval
        while true {
            let idle: Duration? = core.withLock { core in
                guard let active = core.session, active.id == session else { return nil }
                return ContinuousClock.now - active.lastInbound
            }
            guard let idle else { throw SessionEnd.lost("session replaced") }
            if idle < interval {
                try await Task.sleep(for: interval - idle)
                continue
            }
            let result = await perform(
                text: "api status\n\n",
                label: "api status",
                expect: .apiResponse,
                role: .user,
                timeout: configuration.commandTimeout,
                session: session
            )
            switch result {
            case .success:
                continue
            case .failure(.timeout):
                logger.warning("ESL keepalive: no reply to api status", metadata: ["esl.timeout": "\(configuration.commandTimeout)"])
                throw SessionEnd.lost("no reply to keepalive api status within \(configuration.commandTimeout)")
            case .failure(let error):
                throw SessionEnd.lost("keepalive failed: \(error)")
            }
        }
    }
}
