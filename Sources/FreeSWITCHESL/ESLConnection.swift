import Logging
import NIOCore
import PBXSession
import ServiceLifecycle
import Synchronization

/// A self-healing FreeSWITCH event socket client (inbound mode), run as a ServiceLifecycle `Service`.
///
/// `run()` connects, waits for `auth/request`, sends `auth <password>` and `event plain …`,
/// keeps the session alive with `api status` when idle, and reconnects with jittered
/// exponential backoff until graceful shutdown or task cancellation.
///
/// ESL replies carry no correlation id: FreeSWITCH answers commands strictly in the order it
/// reads them. Commands are therefore written in the order they are registered (under one lock)
/// and replies are matched first-in, first-out. A command whose reply does not come within its
/// timeout leaves the stream unaligned, so that session is dropped and re-established.
///
/// Events fan out to subscribers through bounded per-subscriber buffers, so a slow subscriber
/// never stalls the reader. Subscribe before sending a command whose events you want (e.g.
/// `bgapi originate`): events are delivered only to subscribers that exist when they arrive.
public final class ESLConnection: Service, Sendable {
    let configuration: ESLConfiguration
    let logger: Logger
    let jitter: @Sendable () -> Double
    let core: Mutex<Core>
    let subscribers: Mutex<Subscribers>

    struct ActiveSession {
        let id: UInt64
        let channel: any Channel
        var ready = false
        var lastInbound: ContinuousClock.Instant = .now
        var authenticationFailure: String?
        /// Set when the session is dropped on purpose (timeout); wins over "connection closed".
        var endReason: String?
    }

    struct QueuedReply {
        let id: UInt64
        let expect: PendingCommand.Expect
        let role: PendingCommand.Role
    }

    struct Core {
        var state: ESLSessionState = .disconnected("not started")
        var session: ActiveSession?
        var pending: [UInt64: PendingCommand] = [:]
        /// Commands of the current session awaiting their reply, oldest first.
        var replyQueue: [QueuedReply] = []
        var running = false
        var stopped = false
        var nextSessionID: UInt64 = 0
        var nextCommandID: UInt64 = 0
    }

    struct Subscriber: Sendable {
        let id: Int
        let filter: @Sendable (ESLEvent) -> Bool
        let buffer: SubscriberBuffer<ESLSessionEvent>
    }

    struct Subscribers {
        var list: [Subscriber] = []
        var nextID = 0
        var closed = false
    }

    /// Creates a connection; nothing happens until ``run()``.
    ///
    /// - Parameter jitter: Returns a value in `0..<1` that scales each reconnect delay between half
    ///   and all of its nominal value. Inject a constant in tests.
    public init(
        configuration: ESLConfiguration,
        logger: Logger,
        jitter: @escaping @Sendable () -> Double = { .random(in: 0..<1) }
    ) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "esl.peer"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        self.jitter = jitter
        self.core = Mutex(Core())
        self.subscribers = Mutex(Subscribers())
    }

    /// The session state right now.
    public var state: ESLSessionState {
        core.withLock { $0.state }
    }

    /// Runs `api <command>` and returns the `api/response` body as is (FreeSWITCH reports many
    /// failures in it, e.g. `-ERR No such channel!\n`; `uuid_exists` answers `true`/`false`).
    ///
    /// - Parameter timeout: Defaults to ``ESLConfiguration/commandTimeout``. When it expires the
    ///   session is dropped (ESL cannot skip a late reply) and reconnected.
    /// - Throws: ``ESLError/invalidCommand(_:)`` for an empty command or one with CR/LF,
    ///   ``ESLError/notConnected(_:)``, ``ESLError/timeout(command:)``, ``ESLError/connectionLost``,
    ///   ``ESLError/shuttingDown``.
    public func api(_ command: String, timeout: Duration? = nil) async throws(ESLError) -> String {
        try Self.validate(command, what: "api command")
        let frame = try await perform(
            text: "api \(command)\n\n",
            label: "api \(command)",
            expect: .apiResponse,
            role: .user,
            timeout: timeout ?? configuration.commandTimeout,
            session: nil
        ).get()
        return frame.bodyText ?? ""
    }

    /// Sends `bgapi <command>` with a `Job-UUID` header and returns the Job-UUID FreeSWITCH confirms
    /// (`Reply-Text: +OK Job-UUID: …`). The command's result arrives later as a `BACKGROUND_JOB`
    /// event with that `Job-UUID`; subscribe first.
    ///
    /// - Throws: ``ESLError/rejected(_:)`` for a `-ERR …` reply, and the errors of ``api(_:timeout:)``.
    public func bgapi(_ command: String, jobUUID: String, timeout: Duration? = nil) async throws(ESLError) -> String {
        try Self.validate(command, what: "bgapi command")
        try Self.validate(jobUUID, what: "Job-UUID")
        let headers = try await self.command(
            "bgapi \(command)",
            headers: ESLHeaders([ESLField("Job-UUID", jobUUID)]),
            timeout: timeout
        )
        if let confirmed = headers["Job-UUID"], !confirmed.isEmpty { return confirmed }
        let reply = headers["Reply-Text"] ?? ""
        let prefix = "+OK Job-UUID: "
        return reply.hasPrefix(prefix) ? String(reply.dropFirst(prefix.count)) : jobUUID
    }

    /// Sends any command that FreeSWITCH answers with `command/reply` (`filter …`, `nixevent …`,
    /// `bgapi …`), with optional header lines, and returns the reply's headers.
    ///
    /// - Throws: ``ESLError/rejected(_:)`` when `Reply-Text` starts with `-ERR`, and the errors of
    ///   ``api(_:timeout:)`` (also for CR/LF or `:`-less names in `headers`).
    @discardableResult
    public func command(_ line: String, headers: ESLHeaders = ESLHeaders(), timeout: Duration? = nil) async throws(ESLError)
        -> ESLHeaders
    {
        try Self.validate(line, what: "command")
        var text = line + "\n"
        for field in headers.fields {
            try Self.validate(field.key, what: "header name")
            try Self.validate(field.value, what: "value of \(field.key)")
            guard !field.key.utf8.contains(58) else { throw .invalidCommand("header name \(field.key) holds ':'") }
            text += "\(field.key): \(field.value)\n"
        }
        text += "\n"
        let frame = try await perform(
            text: text,
            label: line,
            expect: .commandReply,
            role: .user,
            timeout: timeout ?? configuration.commandTimeout,
            session: nil
        ).get()
        let reply = frame.headers["Reply-Text"] ?? ""
        if reply.hasPrefix("-ERR") { throw .rejected(reply) }
        return frame.headers
    }

    /// A stream of session events for one consumer.
    ///
    /// `filter` runs on the reader before buffering, so only matching events take buffer space.
    /// The buffer holds at most ``ESLConfiguration/subscriberBufferLimit`` events; beyond that they
    /// are dropped and reported as `.overflow(dropped:)` before the next delivered item.
    /// `.connected` and `.disconnected` are always delivered. The stream ends when `run()` returns,
    /// or when the consuming task is cancelled.
    public func subscribe(filter: @escaping @Sendable (ESLEvent) -> Bool = { _ in true }) -> AsyncStream<ESLSessionEvent> {
        let buffer = SubscriberBuffer<ESLSessionEvent>(limit: configuration.subscriberBufferLimit)
        let id: Int? = subscribers.withLock { subscribers in
            guard !subscribers.closed else { return nil }
            let id = subscribers.nextID
            subscribers.nextID += 1
            subscribers.list.append(Subscriber(id: id, filter: filter, buffer: buffer))
            return id
        }
        guard let id else {
            buffer.finish()
            return AsyncStream(unfolding: { await buffer.next() })
        }
        let token = SubscriptionToken(buffer: buffer) { [weak self] in self?.unsubscribe(id) }
        return AsyncStream(unfolding: { await token.buffer.next() }, onCancel: { token.cancel() })
    }

    func unsubscribe(_ id: Int) {
        subscribers.withLock { $0.list.removeAll { $0.id == id } }
    }

    static func validate(_ text: String, what: String) throws(ESLError) {
        guard !text.isEmpty else { throw .invalidCommand("empty \(what)") }
        for byte in text.utf8 where byte == 13 || byte == 10 {
            throw .invalidCommand("\(what) holds CR or LF")
        }
    }
}

/// Ties a subscriber's registration to its stream's lifetime.
final class SubscriptionToken: Sendable {
    let buffer: SubscriberBuffer<ESLSessionEvent>
    private let onEnd: @Sendable () -> Void

    init(buffer: SubscriberBuffer<ESLSessionEvent>, onEnd: @escaping @Sendable () -> Void) {
        self.buffer = buffer
        self.onEnd = onEnd
    }

    func cancel() {
        buffer.cancel()
        onEnd()
    }

    deinit {
        onEnd()
    }
}

extension ESLSessionEvent: SubscriberEvent {
    /// Session up and session lost are always delivered.
    public var isControl: Bool {
        switch self {
        case .connected, .disconnected: true
        case .event, .overflow: false
        }
    }
}
