import ESLSimulator
import FreeSWITCHESL
import Logging
import NIOCore
import Synchronization
import Testing

/// The parent of every suite here, run one suite at a time: the CPU-heavy decoder tests would
/// otherwise occupy the cooperative pool (2 threads on CI) and delay the timing-sensitive
/// connection tests.
@Suite(.serialized)
enum ESLTests {}

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Records everything a subscription delivers and lets tests wait for a condition on it.
final class EventLog: Sendable {
    private struct State {
        var items: [ESLSessionEvent] = []
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let consumer: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ stream: AsyncStream<ESLSessionEvent>) {
        let task = Task { [self] in
            for await item in stream { append(item) }
        }
        consumer.withLock { $0 = task }
    }

    deinit {
        consumer.withLock { $0?.cancel() }
    }

    var items: [ESLSessionEvent] { state.withLock { $0.items } }

    var events: [ESLEvent] {
        items.compactMap {
            if case .event(let message) = $0 { return message }
            return nil
        }
    }

    private func append(_ item: ESLSessionEvent) {
        let waiters = state.withLock { state in
            state.items.append(item)
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until `find` returns non-nil for the items recorded so far.
    func wait<T>(
        _ what: String,
        timeout: Duration = .seconds(60),
        _ find: ([ESLSessionEvent]) -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            let snapshot = items
            if let found = find(snapshot) { return found }
            guard ContinuousClock.now < deadline else { throw TestTimeout(what: what) }
            await waitForChange(after: snapshot.count, until: deadline)
        }
    }

    /// Waits for an event matching `predicate` and returns it.
    func event(_ what: String, timeout: Duration = .seconds(60), where predicate: (ESLEvent) -> Bool) async throws -> ESLEvent {
        try await wait(what, timeout: timeout) { items in
            for case .event(let message) in items where predicate(message) { return message }
            return nil
        }
    }

    /// Waits for the `count`-th `.connected` item.
    func connected(_ count: Int = 1, timeout: Duration = .seconds(60)) async throws {
        _ = try await wait("connected #\(count)", timeout: timeout) { items in
            items.filter { $0 == .connected }.count >= count ? true : nil
        }
    }

    private func waitForChange(after seen: Int, until deadline: ContinuousClock.Instant) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id: Int? = state.withLock { state in
                guard state.items.count == seen else { return nil }
                let id = state.nextWaiter
                state.nextWaiter += 1
                state.waiters[id] = continuation
                return id
            }
            guard let id else { return continuation.resume() }
            Task { [self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
        }
    }
}

/// Polls `condition` until it holds (for state that is not delivered as an event).
func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TestTimeout(what: what) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

func sessionConfiguration(port: Int, password: String = "ClueCon") -> ESLConfiguration {
    var configuration = ESLConfiguration(host: "127.0.0.1", port: port, password: password)
    configuration.commandTimeout = .seconds(20)
    configuration.pingInterval = .seconds(60)
    configuration.reconnectMin = .milliseconds(250)
    configuration.reconnectMax = .seconds(1)
    return configuration
}

/// Configuration changes for one test (nil: keep ``sessionConfiguration(port:)``'s value).
struct SessionSettings {
    var password: String?
    var events: [String]?
    var commandTimeout: Duration?
    var pingInterval: Duration?
    var reconnectMax: Duration?
    var authenticationRetry: Duration?
    var maxFrameBytes: Int?
    var subscriberBufferLimit: Int?
    /// Only events accepted by this reach the session's ``EventLog`` (nil: all).
    var logFilter: (@Sendable (ESLEvent) -> Bool)?

    func apply(to configuration: inout ESLConfiguration) {
        if let password { configuration.password = password }
        if let events { configuration.events = events }
        if let commandTimeout { configuration.commandTimeout = commandTimeout }
        if let pingInterval { configuration.pingInterval = pingInterval }
        if let reconnectMax { configuration.reconnectMax = reconnectMax }
        if let authenticationRetry { configuration.authenticationRetry = authenticationRetry }
        if let maxFrameBytes { configuration.maxFrameBytes = maxFrameBytes }
        if let subscriberBufferLimit { configuration.subscriberBufferLimit = subscriberBufferLimit }
    }
}

/// Starts a simulator, runs an `ESLConnection` against it, waits for the first `.connected`, runs
/// `body`, then stops both.
func withSession<T: Sendable>(
    simulator: ESLSimulator = ESLSimulator(),
    _ settings: SessionSettings = SessionSettings(),
    waitForConnected: Bool = true,
    _ body: (ESLConnection, EventLog, ESLSimulator) async throws -> T
) async throws -> T {
    let port = try await simulator.start()
    var configuration = sessionConfiguration(port: port)
    settings.apply(to: &configuration)
    var logger = Logger(label: "esl-test")
    logger.logLevel = .critical
    let connection = ESLConnection(configuration: configuration, logger: logger, jitter: { 0.5 })
    let filter = settings.logFilter
    let log = EventLog(connection.subscribe { event in filter?(event) ?? true })
    let runner = Task { try await connection.run() }
    do {
        if waitForConnected { try await log.connected() }
        let result = try await body(connection, log, simulator)
        runner.cancel()
        _ = await runner.result
        await simulator.stop()
        return result
    } catch {
        runner.cancel()
        _ = await runner.result
        await simulator.stop()
        throw error
    }
}

/// A deterministic generator (SplitMix64) for reproducible random cuts.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Decodes `bytes` fed in the given pieces; stops at the first error.
func decodeAll(_ pieces: [ArraySlice<UInt8>], maxFrameBytes: Int = 4 << 20) -> (frames: [ESLFrame], error: ESLProtocolError?, buffered: Int) {
    var decoder = ESLDecoder(maxFrameBytes: maxFrameBytes)
    var frames: [ESLFrame] = []
    for piece in pieces {
        decoder.append(piece)
        do {
            while let frame = try decoder.next() { frames.append(frame) }
        } catch {
            return (frames, error, decoder.bufferedByteCount)
        }
    }
    return (frames, nil, decoder.bufferedByteCount)
}

/// Cuts `data` at `count` distinct random points.
func randomPieces(_ data: [UInt8], cuts count: Int, using generator: inout SeededGenerator) -> [ArraySlice<UInt8>] {
    var cuts = Set<Int>()
    while cuts.count < min(count, data.count - 1) { cuts.insert(Int.random(in: 1..<data.count, using: &generator)) }
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    for cut in cuts.sorted() {
        pieces.append(data[start..<cut])
        start = cut
    }
    pieces.append(data[start...])
    return pieces
}

/// The `.disconnected` reason, once one was delivered.
func disconnectReason(_ log: EventLog, timeout: Duration = .seconds(60)) async throws -> String {
    try await log.wait("disconnected", timeout: timeout) { items in
        items.lazy.compactMap { if case .disconnected(let reason) = $0 { reason } else { nil } }.first
    }
}
