import FaxTransports
import FaxbotCore
import Foundation
import Synchronization

/// The one health monitor: a circuit breaker per transport, fed by real attempts (a transport
/// that accepted an attempt is up; one that refused it as unreachable or unauthorised is not)
/// and by periodic checks. The dispatcher claims no work for a transport whose breaker is open.
///
/// closed ──N consecutive failures──▶ open ──cool-down passed──▶ half_open
///   ▲                                                        │ success → closed
///   └────────────────────────────────────────────────────────┘ failure → open again
public final class ProviderHealthMonitor: Sendable {
    public struct Settings: Sendable, Equatable {
        public var failureThreshold = 5
        public var coolDown: TimeInterval = 60
        public var checkInterval: TimeInterval = 30

        public init() {}
    }

    public enum Breaker: String, Sendable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// What `GET /health/providers` shows for one transport; never PHI.
    public struct Status: Sendable, Equatable {
        public var id: String
        public var breaker: Breaker
        public var consecutiveFailures: Int
        public var lastCheckAt: Date?
        public var lastCheckOK: Bool?
        public var lastError: String?
    }

    let settings: Settings
    private let clock: any WallClock
    private let entries: Mutex<[String: Entry]>

    private struct Entry {
        var breaker: Breaker = .closed
        var failures = 0
        var openedAt: Date?
        var lastCheckAt: Date?
        var lastCheckOK: Bool?
        var lastError: String?
    }

    public init(transports: [String], clock: any WallClock, settings: Settings = Settings()) {
        self.settings = settings
        self.clock = clock
        self.entries = Mutex(Dictionary(uniqueKeysWithValues: transports.map { ($0, Entry()) }))
    }

    /// Whether work may be claimed for `transport` now; an open breaker whose cool-down has
    /// passed turns half-open and lets attempts probe.
    public func allowsAttempts(_ transport: String) -> Bool {
        let now = clock.now()
        return entries.withLock { table in
            guard var entry = table[transport] else { return true }
            if entry.breaker == .open, let opened = entry.openedAt, now.timeIntervalSince(opened) >= settings.coolDown {
                entry.breaker = .halfOpen
                table[transport] = entry
            }
            return entry.breaker != .open
        }
    }

    /// The transport took an attempt (or passed a check): it is up.
    public func recordSuccess(_ transport: String) {
        entries.withLock { table in
            var entry = table[transport] ?? Entry()
            entry.breaker = .closed
            entry.failures = 0
            entry.openedAt = nil
            table[transport] = entry
        }
    }

    /// The transport could not be reached or refused Faxbot's credentials.
    public func recordFailure(_ transport: String, detail: String) {
        let now = clock.now()
        entries.withLock { table in
            var entry = table[transport] ?? Entry()
            entry.failures += 1
            entry.lastError = detail
            if entry.breaker == .halfOpen || entry.failures >= settings.failureThreshold {
                entry.breaker = .open
                entry.openedAt = now
            }
            table[transport] = entry
        }
    }

    /// A periodic check's result.
    public func recordCheck(_ transport: String, _ health: TransportHealthCheck) {
        let now = clock.now()
        switch health {
        case .healthy:
            // An open breaker is closed by a passing check only after its cool-down.
            if allowsAttempts(transport) { recordSuccess(transport) }
        case .unhealthy(let detail):
            recordFailure(transport, detail: detail)
        }
        entries.withLock { table in
            var entry = table[transport] ?? Entry()
            entry.lastCheckAt = now
            if case .unhealthy(let detail) = health {
                entry.lastCheckOK = false
                entry.lastError = detail
            } else {
                entry.lastCheckOK = true
            }
            table[transport] = entry
        }
    }

    public func statuses() -> [Status] {
        entries.withLock { table in
            table.keys.sorted().map { id in
                let entry = table[id]!
                return Status(
                    id: id, breaker: entry.breaker, consecutiveFailures: entry.failures, lastCheckAt: entry.lastCheckAt,
                    lastCheckOK: entry.lastCheckOK, lastError: entry.lastError)
            }
        }
    }
}
