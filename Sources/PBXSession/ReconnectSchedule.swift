/// When a lost PBX session is tried again: exponential from `minimum`, capped at `maximum`, each
/// delay jittered into `[delay/2, delay)` so several daemons do not reconnect in step.
public struct ReconnectSchedule: Sendable {
    public var minimum: Duration
    public var maximum: Duration
    /// A value in `0..<1` per use, injected so tests are deterministic.
    public var jitter: @Sendable () -> Double

    public init(minimum: Duration, maximum: Duration, jitter: @escaping @Sendable () -> Double) {
        self.minimum = minimum
        self.maximum = maximum
        self.jitter = jitter
    }

    /// `base` scaled into `[base/2, base)` by the jitter.
    public func jittered(_ base: Duration) -> Duration {
        base.scaled(by: 0.5 + 0.5 * min(max(jitter(), 0), 1))
    }

    /// The delay before retry number `attempt` (0-based) after a lost session.
    public func delay(attempt: Int) -> Duration {
        jittered(min(minimum.scaled(by: Double(1 << min(attempt, 30))), maximum))
    }
}
