import AMISimulator
import AsteriskAMI
import Logging
import NIOCore
import Synchronization

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Records everything a subscription delivers and lets tests wait for a condition on it.
final class EventLog: Sendable {
    private struct State {
        var items: [AMISessionEvent] = []
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let consumer: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ stream: AsyncStream<AMISessionEvent>) {
        let task = Task { [self] in
            for await item in stream { append(item) }
        }
        consumer.withLock { $0 = task }
    }

    deinit {
        consumer.withLock { $0?.cancel() }
    }

    var items: [AMISessionEvent] { state.withLock { $0.items } }

    var messages: [AMIMessage] {
        items.compactMap {
            if case .event(let message) = $0 { return message }
            return nil
        }
    }

    private func append(_ item: AMISessionEvent) {
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
        _ find: ([AMISessionEvent]) -> T?
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
    func event(_ what: String, timeout: Duration = .seconds(60), where predicate: (AMIMessage) -> Bool) async throws -> AMIMessage {
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

func sessionConfiguration(port: Int, auth: AMIAuth = .plain, secret: String = "faxbot-secret") -> AMIConfiguration {
    var configuration = AMIConfiguration(host: "127.0.0.1", port: port, username: "faxbot", secret: secret)
    configuration.auth = auth
    configuration.actionTimeout = .seconds(20)
    configuration.pingInterval = .seconds(60)
    configuration.reconnectMin = .milliseconds(250)
    configuration.reconnectMax = .seconds(1)
    return configuration
}

/// Configuration changes for one test (nil: keep ``sessionConfiguration(port:)``'s value).
struct SessionSettings {
    var auth: AMIAuth?
    var secret: String?
    var actionTimeout: Duration?
    var pingInterval: Duration?
    var reconnectMax: Duration?
    var maxMessageBytes: Int?
    var subscriberBufferLimit: Int?
    /// Only these event names reach the session's ``EventLog`` (nil: all).
    var logEvents: Set<String>?

    func apply(to configuration: inout AMIConfiguration) {
        if let auth { configuration.auth = auth }
        if let secret { configuration.secret = secret }
        if let actionTimeout { configuration.actionTimeout = actionTimeout }
        if let pingInterval { configuration.pingInterval = pingInterval }
        if let reconnectMax { configuration.reconnectMax = reconnectMax }
        if let maxMessageBytes { configuration.maxMessageBytes = maxMessageBytes }
        if let subscriberBufferLimit { configuration.subscriberBufferLimit = subscriberBufferLimit }
    }
}

/// Starts a simulator, runs an `AMIConnection` against it, waits for the first login, runs `body`, then stops both.
func withSession<T: Sendable>(
    simulator: AMISimulator = AMISimulator(),
    _ settings: SessionSettings = SessionSettings(),
    waitForLogin: Bool = true,
    _ body: (AMIConnection, EventLog, AMISimulator) async throws -> T
) async throws -> T {
    let port = try await simulator.start()
    var configuration = sessionConfiguration(port: port)
    settings.apply(to: &configuration)
    var logger = Logger(label: "ami-test")
    logger.logLevel = .critical
    let connection = AMIConnection(configuration: configuration, logger: logger, jitter: { 0.5 })
    let names = settings.logEvents
    let log = EventLog(connection.subscribe { message in names.map { message.event.map($0.contains) ?? false } ?? true })
    let runner = Task { try await connection.run() }
    do {
        if waitForLogin { try await log.connected() }
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
func decodeAll(_ pieces: [ArraySlice<UInt8>], maxMessageBytes: Int = 1 << 20) -> (frames: [AMIFrame], errors: [AMIProtocolError], buffered: Int) {
    var decoder = AMIDecoder(maxMessageBytes: maxMessageBytes)
    var frames: [AMIFrame] = []
    var errors: [AMIProtocolError] = []
    for piece in pieces {
        decoder.append(piece)
        while true {
            do {
                guard let frame = try decoder.next() else { break }
                frames.append(frame)
            } catch {
                errors.append(error)
            }
        }
    }
    return (frames, errors, decoder.bufferedByteCount)
}
