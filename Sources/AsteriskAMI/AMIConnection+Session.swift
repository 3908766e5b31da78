import Logging
import NIOCore
import NIOPosix
import PBXSession
import ServiceLifecycle
import Synchronization

extension AMIConnection {
    /// Runs the session until graceful shutdown or cancellation; the state is then ``AMISessionState/stopped``.
    ///
    /// Connection problems never throw: they are retried. Calling `run()` a second time returns at once.
    public func run() async throws {
        let first: Bool = core.withLock { core in
            guard !core.running, !core.stopped else { return false }
            core.running = true
            return true
        }
        guard first else { return }
        await cancelWhenGracefulShutdown { await self.runSessions() }
        shutDown()
    }

    private func runSessions() async {
        var attempt = 0
        while !Task.isCancelled {
            setState(.connecting)
            let end = await runOneSession()
            if Task.isCancelled { break }
            let delay: Duration
            switch end.result {
            case .authenticationFailed(let message):
                setState(.authenticationFailed(message))
                logger.error("AMI login rejected", metadata: ["ami.user": "\(configuration.username)", "ami.message": "\(message)"])
                delay = jittered(configuration.authenticationRetry ?? configuration.reconnectMax)
            case .lost(let reason):
                setState(.disconnected(reason))
                if end.wasLoggedIn { attempt = 0 }
                delay = backoff(attempt: attempt)
                attempt += 1
                logger.debug("AMI reconnect scheduled", metadata: ["ami.reason": "\(reason)", "ami.delay": "\(delay)"])
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                break
            }
        }
    }

    /// One TCP connection: connect, read, log in, keep alive; returns why it ended.
    private func runOneSession() async -> (result: SessionEnd, wasLoggedIn: Bool) {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: configuration.eventLoopGroup)
                .connectTimeout(.nanoseconds(configuration.connectTimeout.nanosecondCount))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            return (.lost("connect failed: \(error)"), false)
        }

        var ending = SessionEnd.lost("connection closed")
        var sessionID: UInt64?
        do {
            try await channel.executeThenClose { inbound, outbound in
                let id = beginSession(writer: outbound)
                sessionID = id
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.readLoop(inbound, session: id) }
                    group.addTask { try await self.loginAndKeepAlive(session: id) }
                    do {
                        try await group.next()
                    } catch {
                        channel.channel.close(promise: nil)
                        group.cancelAll()
                        throw error
                    }
                }
            }
        } catch let end as SessionEnd {
            ending = end
        } catch {
            ending = .lost(Task.isCancelled ? "shutting down" : "\(error)")
        }
        guard let sessionID else { return (ending, false) }
        return endSession(sessionID, ending)
    }

    private func readLoop(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, session: UInt64) async throws {
        var decoder = AMIDecoder(maxMessageBytes: configuration.maxMessageBytes)
        for try await buffer in inbound {
            let now = ContinuousClock.now
            core.withLock { core in
                if core.session?.id == session { core.session?.lastInbound = now }
            }
            decoder.append(buffer)
            do {
                while let frame = try decoder.next() {
                    dispatch(frame, session: session)
                }
            } catch {
                logger.warning("AMI protocol error, dropping the session", metadata: ["ami.error": "\(error)"])
                throw SessionEnd.lost("protocol error: \(error)")
            }
        }
        if Task.isCancelled { throw SessionEnd.lost("shutting down") }
        throw SessionEnd.lost(decoder.bufferedByteCount > 0 ? "connection closed by peer mid-packet" : "connection closed by peer")
    }

    private func beginSession(writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) -> UInt64 {
        core.withLock { core in
            core.nextSessionID += 1
            core.session = ActiveSession(id: core.nextSessionID, writer: writer)
            return core.nextSessionID
        }
    }

    /// Clears the session, fails its pending actions and tells subscribers if it had been logged in.
    private func endSession(_ id: UInt64, _ ending: SessionEnd) -> (result: SessionEnd, wasLoggedIn: Bool) {
        let (wasLoggedIn, authFailure): (Bool, String?) = core.withLock { core in
            guard let active = core.session, active.id == id else { return (false, nil) }
            core.session = nil
            return (active.loggedIn, active.authenticationFailure)
        }
        let stopping = Task.isCancelled
        failPending(session: id, with: stopping ? .shuttingDown : .connectionLost)
        var result = ending
        if let authFailure, !wasLoggedIn { result = .authenticationFailed(authFailure) }
        if wasLoggedIn {
            let reason: String
            switch result {
            case .lost(let text): reason = stopping ? "shutting down" : text
            case .authenticationFailed(let text): reason = text
            }
            logger.warning("AMI session lost", metadata: ["ami.reason": "\(reason)"])
            setState(.disconnected(reason))
            publish(.disconnected(reason))
        }
        return (result, wasLoggedIn)
    }

    private func shutDown() {
        core.withLock { core in
            core.stopped = true
            core.state = .stopped
        }
        failPending(session: nil, with: .shuttingDown)
        let list: [Subscriber] = subscribers.withLock { subscribers in
            subscribers.closed = true
            let list = subscribers.list
            subscribers.list = []
            return list
        }
        for subscriber in list { subscriber.buffer.finish() }
        logger.debug("AMI connection stopped")
    }

    private func setState(_ state: AMISessionState) {
        core.withLock { core in
            if !core.stopped { core.state = state }
        }
    }

    var schedule: ReconnectSchedule {
        ReconnectSchedule(minimum: configuration.reconnectMin, maximum: configuration.reconnectMax, jitter: jitter)
    }

    func jittered(_ base: Duration) -> Duration { schedule.jittered(base) }

    /// Exponential backoff from `reconnectMin`, capped at `reconnectMax`, jittered.
    func backoff(attempt: Int) -> Duration { schedule.delay(attempt: attempt) }
}
