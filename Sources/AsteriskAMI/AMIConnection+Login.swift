import Logging
import Synchronization

extension AMIConnection {
    /// Waits for the banner, logs in, then keeps the session alive until it fails (never returns normally).
    func loginAndKeepAlive(session: UInt64) async throws {
        try await waitForBanner(session: session)
        try await login(session: session)
        try await keepAlive(session: session)
    }

    private func waitForBanner(session: UInt64) async throws {
        let key = Self.bannerKey(session)
        let seen: Bool = core.withLock { core in
            if core.session?.banner != nil { return true }
            core.pending[key] = PendingAction(action: "banner", sessionID: session)
            return false
        }
        if seen { return }
        let timer = startTimer(key, action: "banner", timeout: configuration.actionTimeout)
        defer { timer.cancel() }
        switch await awaitOutcome(key) {
        case .success(let response):
            logger.debug("AMI banner", metadata: ["ami.banner": "\(response.message["Banner"] ?? "")"])
        case .failure(.timeout):
            throw SessionEnd.lost("no banner within \(configuration.actionTimeout)")
        case .failure(let error):
            throw SessionEnd.lost("waiting for banner: \(error)")
        }
    }

    private func login(session: UInt64) async throws {
        var fields: [AMIField]
        switch configuration.auth {
        case .plain:
            fields = [AMIField("Username", configuration.username), AMIField("Secret", configuration.secret)]
        case .md5:
            let reply = try await loginStep(AMIAction("Challenge", [AMIField("AuthType", "MD5")]), session: session)
            guard let challenge = reply.message["Challenge"], !challenge.isEmpty else {
                throw SessionEnd.lost("Challenge reply without a challenge")
            }
            let key = AMIAuthentication.md5Key(challenge: challenge, secret: configuration.secret)
            fields = [
                AMIField("AuthType", "MD5"), AMIField("Username", configuration.username), AMIField("Key", key),
            ]
        }
        fields.append(AMIField("Events", "on"))
        _ = try await loginStep(AMIAction("Login", fields), session: session)

        let loggedIn: Bool = core.withLock { core in
            core.session?.id == session && core.session?.loggedIn == true
        }
        guard loggedIn else { throw SessionEnd.lost("session ended during login") }
        logger.info("AMI session logged in", metadata: ["ami.user": "\(configuration.username)", "ami.auth": "\(configuration.auth)"])
    }

    private func loginStep(_ action: AMIAction, session: UInt64) async throws -> AMIResponse {
        let id = makeActionID()
        let text: String
        do {
            text = try action.encoded(actionID: id)
        } catch {
            throw SessionEnd.authenticationFailed("invalid credentials: \(error)")
        }
        let result = await perform(
            text: text,
            actionID: id,
            action: action.name,
            timeout: configuration.actionTimeout,
            session: session
        )
        switch result {
        case .success(let response):
            return response
        case .failure(.rejected(let message)):
            throw SessionEnd.authenticationFailed(message.isEmpty ? "Authentication failed" : message)
        case .failure(.timeout):
            throw SessionEnd.lost("no reply to \(action.name) within \(configuration.actionTimeout)")
        case .failure(let error):
            throw SessionEnd.lost("\(action.name) failed: \(error)")
        }
    }

    /// Pings when nothing arrived for `pingInterval`; a Ping without reply ends the session.
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
            let id = makeActionID()
            let result = await perform(
                text: "Action: Ping\r\nActionID: \(id)\r\n\r\n",
                actionID: id,
                action: "Ping",
                timeout: configuration.actionTimeout,
                session: session
            )
            switch result {
            case .success, .failure(.rejected):
                try await Task.sleep(for: interval)
            case .failure(.timeout):
                logger.warning("AMI keepalive: no reply to Ping", metadata: ["ami.timeout": "\(configuration.actionTimeout)"])
                throw SessionEnd.lost("no reply to keepalive Ping within \(configuration.actionTimeout)")
            case .failure(let error):
                throw SessionEnd.lost("keepalive Ping failed: \(error)")
            }
        }
    }
}
