import AsteriskAMI
import NIOCore
import NIOPosix
import Synchronization

/// An in-process stand-in for Asterisk 22's AMI, for tests.
///
/// A TCP server on 127.0.0.1 that greets with `Asterisk Call Manager/11.0.0`, accepts plain and MD5
/// logins, and answers `Ping`, `Logoff`, `Originate`, `CoreShowChannels`, `Status`, `Hangup`,
/// `DBGet`, `DBPut`, `DBDel` and `Events` like Asterisk does. Each `Originate` plays an
/// ``AMIScenario`` chosen by the dialled number: the real recorded streams with ids substituted,
/// or synthetic failures. Controls let tests drop sockets, restart, freeze, ignore actions, pause
/// calls and flood events. All writes to one client keep the order in which they were produced.
public final class AMISimulator: Sendable {
    let username: String
    let secret: String
    let group: any EventLoopGroup
    let state: Mutex<SimulatorState>

    /// Creates a stopped simulator; call ``start(port:)``.
    ///
    /// - Parameters:
    ///   - scenarios: Scenario per dialled number (the longest digit run in the Originate's `Channel`).
    ///   - defaultScenario: For numbers not in `scenarios`.
    public init(
        username: String = "faxbot",
        secret: String = "faxbot-secret",
        scenarios: [String: AMIScenario] = [:],
        defaultScenario: AMIScenario = .success2Pages,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.username = username
        self.secret = secret
        self.group = eventLoopGroup
        var initial = SimulatorState()
        initial.scenarios = scenarios
        initial.defaultScenario = defaultScenario
        self.state = Mutex(initial)
    }

    // MARK: Settings

    /// Scenario per dialled number.
    public var scenarios: [String: AMIScenario] {
        get { state.withLock { $0.scenarios } }
        set { state.withLock { $0.scenarios = newValue } }
    }

    /// Scenario for numbers not in ``scenarios``.
    public var defaultScenario: AMIScenario {
        get { state.withLock { $0.defaultScenario } }
        set { state.withLock { $0.defaultScenario = newValue } }
    }

    /// When `true`, calls originated from now on stop before their result (FaxbotResult, or the
    /// failure OriginateResponse) until ``release(channelID:)``.
    public var pauseBeforeResult: Bool {
        get { state.withLock { $0.pauseBeforeResult } }
        set { state.withLock { $0.pauseBeforeResult = newValue } }
    }

    /// Delay before each event of a call (zero: as fast as possible).
    public var eventInterval: Duration {
        get { state.withLock { $0.eventInterval } }
        set { state.withLock { $0.eventInterval = newValue } }
    }

    /// Actions (case-insensitive names) that get no reply at all, for timeout tests.
    public var ignoredActions: Set<String> {
        get { state.withLock { $0.ignoredActions } }
        set { state.withLock { $0.ignoredActions = Set(newValue.map { $0.lowercased() }) } }
    }

    /// When `true`, connections are accepted and read but nothing is ever written (no banner, no
    /// replies, no events), like a hung Asterisk; actions are still recorded.
    public var isFrozen: Bool {
        get { state.withLock { $0.frozen } }
        set { state.withLock { $0.frozen = newValue } }
    }

    // MARK: Observations

    /// The listening port, while started.
    public var port: Int? { state.withLock { $0.port } }

    /// Every action received, decoded, in arrival order (logins included).
    public var received: [AMIMessage] { state.withLock { $0.received } }

    /// Every action received, as the exact text that came over the wire.
    public var receivedText: [String] { state.withLock { $0.receivedText } }

    /// Number of `Originate` actions received.
    public var originateCount: Int { state.withLock { $0.originateCount } }

    /// Number of open client sockets that are logged in.
    public var loggedInClientCount: Int { state.withLock { $0.connections.values.filter(\.loggedIn).count } }

    /// Names of the live channels, oldest first.
    public var liveChannels: [String] {
        state.withLock { $0.channels.values.sorted { $0.order < $1.order }.map(\.name) }
    }

    /// Uniqueids of the live channels, oldest first.
    public var liveChannelIDs: [String] {
        state.withLock { $0.channels.values.sorted { $0.order < $1.order }.map(\.uniqueID) }
    }

    /// Events emitted by the flood so far.
    public var floodEventCount: Int { state.withLock { $0.floodEventCount } }

    /// A value in the simulator's AstDB (it survives ``stop(clearingCalls:)``, like astdb.sqlite3).
    public func databaseValue(family: String, key: String) -> String? {
        state.withLock { $0.database[family]?[key] }
    }

    /// Sets (or with `nil` deletes) a value in the simulator's AstDB.
    public func setDatabaseValue(_ value: String?, family: String, key: String) {
        state.withLock { $0.database[family, default: [:]][key] = value }
    }

    // MARK: Controls

    /// Writes `raw` as is to every logged-in client (append `\r\n\r\n` yourself for a whole packet).
    public func emit(raw: String) {
        state.withLock { state in
            state.broadcast(ByteBuffer(string: raw), eventsOnly: false)
        }
    }

    /// Lets a paused call go on: the `.hold` wait or the ``pauseBeforeResult`` pause. A release that
    /// arrives before the call reaches its pause is remembered. Returns `false` for unknown calls.
    @discardableResult
    public func release(channelID: String) -> Bool {
        let waiter: CheckedContinuation<Void, Never>?? = state.withLock { state in
            guard var call = state.calls[channelID] else { return .none }
            if let waiter = call.waiter {
                call.waiter = nil
                state.calls[channelID] = call
                return .some(waiter)
            }
            call.releases += 1
            state.calls[channelID] = call
            return .some(nil)
        }
        guard let waiter else { return false }
        waiter?.resume()
        return true
    }
}
