import Logging
import NIOCore
import PBXSession
import ServiceLifecycle
import Synchronization

/// A self-healing AMI client session, run as a ServiceLifecycle `Service`.
///
/// `run()` connects, reads the banner, logs in (plain or MD5), keeps the session alive with `Ping`
/// when idle, and reconnects with jittered exponential backoff until graceful shutdown or task
/// cancellation. Actions are correlated by ActionID, so any number may be in flight; EventList
/// actions resolve when their `…Complete` event arrives. Events fan out to subscribers through
/// bounded per-subscriber buffers, so a slow subscriber never stalls the reader.
///
/// Subscribe before sending an action whose events you want (e.g. `OriginateResponse`): events are
/// delivered only to subscribers that exist when they arrive.
public final class AMIConnection: Service, Sendable {
    let configuration: AMIConfiguration
    let logger: Logger
    let jitter: @Sendable () -> Double
    let idPrefix: String
    let core: Mutex<Core>
    let subscribers: Mutex<Subscribers>

    struct ActiveSession {
        let id: UInt64
        let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var loggedIn = false
        var banner: String?
        var lastInbound: ContinuousClock.Instant = .now
        var authenticationFailure: String?
    }

    struct Core {
        var state: AMISessionState = .disconnected("not started")
        var session: ActiveSession?
        var pending: [String: PendingAction] = [:]
        var running = false
        var stopped = false
        var nextSessionID: UInt64 = 0
        var nextActionNumber: UInt64 = 0
    }

    struct Subscriber: Sendable {
        let id: Int
        let filter: @Sendable (AMIMessage) -> Bool
        let buffer: SubscriberBuffer<AMISessionEvent>
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
        configuration: AMIConfiguration,
        logger: Logger,
        jitter: @escaping @Sendable () -> Double = { .random(in: 0..<1) }
    ) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "ami.peer"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        self.jitter = jitter
        self.idPrefix = "ami-" + String(UInt32.random(in: .min ... .max), radix: 16)
        self.core = Mutex(Core())
        self.subscribers = Mutex(Subscribers())
    }

    /// The session state right now.
    public var state: AMISessionState {
        core.withLock { $0.state }
    }

    /// Sends an action and waits for its response.
    ///
    /// - Parameters:
    ///   - actionID: The ActionID to use; a unique one is generated when `nil`. Pass your own to
    ///     match later events that carry it, such as `OriginateResponse`.
    ///   - timeout: Defaults to ``AMIConfiguration/actionTimeout``.
    /// - Returns: The response; for EventList actions with the list items in ``AMIResponse/events``.
    /// - Throws: ``AMIError/rejected(_:)`` for `Response: Error`, ``AMIError/notConnected(_:)`` when no
    ///   session is logged in, ``AMIError/timeout(action:)``, ``AMIError/connectionLost`` when the
    ///   session drops first, ``AMIError/shuttingDown`` once stopped or when the calling task is
    ///   cancelled, ``AMIError/invalidAction(_:)`` for unencodable actions or an ActionID already pending.
    public func send(_ action: AMIAction, actionID: String? = nil, timeout: Duration? = nil) async throws(AMIError)
        -> AMIResponse
    {
        let id = actionID ?? makeActionID()
        let text = try action.encoded(actionID: id)
        return try await perform(
            text: text,
            actionID: id,
            action: action.name,
            timeout: timeout ?? configuration.actionTimeout,
            session: nil
        ).get()
    }

    /// A stream of session events for one consumer.
    ///
    /// `filter` runs on the reader before buffering, so only matching events take buffer space.
    /// The buffer holds at most ``AMIConfiguration/subscriberBufferLimit`` events; beyond that they
    /// are dropped and reported as `.overflow(dropped:)` before the next delivered item.
    /// `.connected` and `.disconnected` are always delivered. The stream ends when `run()` returns,
    /// or when the consuming task is cancelled.
    public func subscribe(filter: @escaping @Sendable (AMIMessage) -> Bool = { _ in true }) -> AsyncStream<AMISessionEvent> {
        let buffer = SubscriberBuffer<AMISessionEvent>(limit: configuration.subscriberBufferLimit)
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

    func makeActionID() -> String {
        let number = core.withLock { core in
            core.nextActionNumber += 1
            return core.nextActionNumber
        }
        return "\(idPrefix)-\(number)"
    }
}

/// Ties a subscriber's registration to its stream's lifetime.
final class SubscriptionToken: Sendable {
    let buffer: SubscriberBuffer<AMISessionEvent>
    private let onEnd: @Sendable () -> Void

    init(buffer: SubscriberBuffer<AMISessionEvent>, onEnd: @escaping @Sendable () -> Void) {
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

extension AMISessionEvent: SubscriberEvent {
    /// Session up and session lost are always delivered.
    public var isControl: Bool {
        switch self {
        case .connected, .disconnected: true
        case .event, .overflow: false
        }
    }
}
