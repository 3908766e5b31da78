import FreeSWITCHESL
import NIOCore
import NIOPosix
import Synchronization

/// An in-process stand-in for FreeSWITCH 1.10's event socket with mod_spandsp, for tests.
///
/// A TCP server on 127.0.0.1 that greets with `auth/request`, checks `auth <password>`
/// (`-ERR invalid` is followed by a disconnect notice and a close, as FreeSWITCH does), accepts
/// `event plain …` and delivers only the events a client subscribed to, answers `api` (`status`,
/// `uuid_exists`, `uuid_kill`, `show channels as json`) and `bgapi`, and `exit`.
///
/// Each `bgapi originate` plays an ``ESLScenario`` chosen by the dialled number (the longest digit
/// run of the dial string): the real recorded streams with the origination uuid, Job-UUID, B-leg
/// uuid, TIFF path and originate variables substituted and every `Content-Length` recomputed, or
/// synthetic failures. Call events are written to the socket in up to four pieces cut at seeded
/// random points, to exercise the client's framing. Controls let tests drop sockets, restart,
/// freeze, ignore commands, pause calls, emit events and flood. All writes to one client keep the
/// order in which they were produced.
public final class ESLSimulator: Sendable {
    let password: String
    let group: any EventLoopGroup
    let state: Mutex<SimulatorState>

    /// Creates a stopped simulator; call ``start(port:)``.
    ///
    /// - Parameters:
    ///   - scenarios: Scenario per dialled number.
    ///   - defaultScenario: For numbers not in `scenarios`.
    ///   - seed: Seeds the random cuts of event writes (per connection: seed + connection number).
    public init(
        password: String = "ClueCon",
        scenarios: [String: ESLScenario] = [:],
        defaultScenario: ESLScenario = .success2Pages,
        seed: UInt64 = 0xE5_1F_A0,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.password = password
        self.group = eventLoopGroup
        var initial = SimulatorState()
        initial.scenarios = scenarios
        initial.defaultScenario = defaultScenario
        initial.seed = seed
        self.state = Mutex(initial)
    }

    // MARK: Settings

    /// Scenario per dialled number.
    public var scenarios: [String: ESLScenario] {
        get { state.withLock { $0.scenarios } }
        set { state.withLock { $0.scenarios = newValue } }
    }

    /// Scenario for numbers not in ``scenarios``.
    public var defaultScenario: ESLScenario {
        get { state.withLock { $0.defaultScenario } }
        set { state.withLock { $0.defaultScenario = newValue } }
    }

    /// When `true`, calls originated from now on stop before their result (the A leg's
    /// `spandsp::txfaxresult`; for unanswered calls, before their first event) until ``release(uuid:)``.
    public var pauseBeforeResult: Bool {
        get { state.withLock { $0.pauseBeforeResult } }
        set { state.withLock { $0.pauseBeforeResult = newValue } }
    }

    /// Delay before each event of a call (zero: as fast as possible).
    public var eventInterval: Duration {
        get { state.withLock { $0.eventInterval } }
        set { state.withLock { $0.eventInterval = newValue } }
    }

    /// Commands that get no reply at all, for timeout tests: a command is ignored when its first
    /// line starts with one of these (case-insensitive), e.g. `"api status"` or `"bgapi"`.
    public var ignoredCommands: [String] {
        get { state.withLock { $0.ignoredCommands } }
        set { state.withLock { $0.ignoredCommands = newValue.map { $0.lowercased() } } }
    }

    /// When `true`, connections are accepted and read but nothing is ever written (no greeting, no
    /// replies, no events), like a hung FreeSWITCH; commands are still recorded.
    public var isFrozen: Bool {
        get { state.withLock { $0.frozen } }
        set { state.withLock { $0.frozen = newValue } }
    }

    /// When `false`, call events go out in one write each instead of being cut at random points.
    public var splitsWrites: Bool {
        get { state.withLock { $0.splitWrites } }
        set { state.withLock { $0.splitWrites = newValue } }
    }

    // MARK: Observations

    /// The listening port, while started.
    public var port: Int? { state.withLock { $0.port } }

    /// Every command received, exactly as it came over the wire (the blank line included), e.g.
    /// `"bgapi originate {…}… &txfax(/x.tif)\nJob-UUID: …\n\n"`, in arrival order (auth included).
    public var received: [String] { state.withLock { $0.received } }

    /// Number of `originate` commands received (by `bgapi`).
    public var originateCount: Int { state.withLock { $0.originateCount } }

    /// Number of open client sockets that are authenticated.
    public var connectedClientCount: Int { state.withLock { $0.connections.values.filter(\.authenticated).count } }

    /// The A-leg uuids (origination_uuid) of the live calls, from answer until their
    /// CHANNEL_HANGUP_COMPLETE, oldest first.
    public var liveChannelUUIDs: [String] {
        state.withLock { $0.channels.values.sorted { $0.order < $1.order }.map(\.uuid) }
    }

    /// Events emitted by the flood so far.
    public var floodEventCount: Int { state.withLock { $0.floodEventCount } }

    // MARK: Controls

    /// Sends an event to every authenticated client subscribed to its `Event-Name` (and, for
    /// CUSTOM, its `Event-Subclass`), encoded as FreeSWITCH does (values URL-encoded).
    public func emit(event: ESLEvent) {
        state.withLock { $0.broadcast(event) }
    }

    /// Sends an event built from headers (in order) and an optional body; see ``emit(event:)``.
    public func emit(headers: KeyValuePairs<String, String>, body: String? = nil) {
        emit(event: ESLEvent(headers: ESLHeaders(headers.map { ESLField($0.key, $0.value) }), body: body))
    }

    /// Writes `bytes` as they are to every authenticated client (for hostile-input tests).
    public func emit(raw bytes: [UInt8]) {
        state.withLock { state in
            for id in state.connections.keys.sorted() where state.connections[id]?.authenticated == true {
                state.write(bytes, to: id)
            }
        }
    }

    /// Lets a paused call go on: the `.hold` wait or the ``pauseBeforeResult`` pause. A release that
    /// arrives before the call reaches its pause is remembered. Returns `false` for unknown calls.
    @discardableResult
    public func release(uuid: String) -> Bool {
        let waiter: CheckedContinuation<Void, Never>?? = state.withLock { state in
            guard var call = state.calls[uuid] else { return .none }
            if let waiter = call.waiter {
                call.waiter = nil
                state.calls[uuid] = call
                return .some(waiter)
            }
            call.releases += 1
            state.calls[uuid] = call
            return .some(nil)
        }
        guard let waiter else { return false }
        waiter?.resume()
        return true
    }
}
