import Logging
import NIOCore
import NIOPosix
import PBXSession
import ServiceLifecycle
import Synchronization

extension ESLConnection {
    /// Runs the session until graceful shutdown or cancellation; the state is then ``ESLSessionState/stopped``.
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
                logger.error("ESL authentication rejected", metadata: ["esl.reply": "\(message)"])
                delay = jittered(configuration.authenticationRetry)
            case .lost(let reason):
                setState(.disconnected(reason))
                if end.wasReady { attempt = 0 }
                delay = backoff(attempt: attempt)
                attempt += 1
                logger.debug("ESL reconnect scheduled", metadata: ["esl.reason": "\(reason)", "esl.delay": "\(delay)"])
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                break
            }
        }
    }

    /// One TCP connection: connect, read, authenticate, subscribe, keep alive; returns why it ended.
    private func runOneSession() async -> (result: SessionEnd, wasReady: Bool) {
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
            try await channel.executeThenClose { inbound, _ in
                let id = beginSession(channel: channel.channel)
                sessionID = id
                let greeting = expectGreeting(session: id)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.readLoop(inbound, session: id) }
                    group.addTask { try await self.loginAndKeepAlive(session: id, greeting: greeting) }
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
        var decoder = ESLDecoder(maxFrameBytes: configuration.maxFrameBytes)
        for try await buffer in inbound {
            let now = ContinuousClock.now
            core.withLock { core in
                if core.session?.id == session { core.session?.lastInbound = now }
            }
            decoder.append(buffer)
            do {
                while let frame = try decoder.next() {
                    try dispatch(frame, session: session)
                }
            } catch let error as ESLProtocolError {
                logger.warning("ESL protocol error, dropping the session", metadata: ["esl.error": "\(error)"])
                throw SessionEnd.lost("protocol error: \(error)")
            }
        }
        if Task.isCancelled { throw SessionEnd.lost("shutting down") }
        throw SessionEnd.lost(decoder.bufferedByteCount > 0 ? "connection closed by peer mid-frame" : "connection closed by peer")
    }

    private func beginSession(channel: any Channel) -> UInt64 {
        core.withLock { core in
            core.nextSessionID += 1
            core.session = ActiveSession(id: core.nextSessionID, channel: channel)
            core.replyQueue = []
            return core.nextSessionID
        }
    }

    /// Clears the session, fails its pending commands and tells subscribers if it had been ready.
    private func endSession(_ id: UInt64, _ ending: SessionEnd) -> (result: SessionEnd, wasReady: Bool) {
        let (wasReady, authFailure, endReason): (Bool, String?, String?) = core.withLock { core in
            guard let active = core.session, active.id == id else { return (false, nil, nil) }
            core.session = nil
            return (active.ready, active.authenticationFailure, active.endReason)
        }
        let stopping = Task.isCancelled
        failPending(session: id, with: stopping ? .shuttingDown : .connectionLost)
        var result = ending
        if let endReason { result = .lost(endReason) }
        if let authFailure, !wasReady { result = .authenticationFailed(authFailure) }
        if wasReady {
            let reason: String
            switch result {
            case .lost(let text): reason = stopping ? "shutting down" : text
            case .authenticationFailed(let text): reason = text
            }
            logger.warning("ESL session lost", metadata: ["esl.reason": "\(reason)"])
            setState(.disconnected(reason))
            publish(.disconnected(reason))
        }
        return (result, wasReady)
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
        logger.debug("ESL connection stopped")
    }

    private func setState(_ state: ESLSessionState) {
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
