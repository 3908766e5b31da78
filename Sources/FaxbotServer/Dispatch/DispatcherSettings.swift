import FaxbotCore
import Foundation

/// How the dispatcher paces itself.
public struct DispatcherSettings: Sendable {
    public var policy: RetryPolicy
    public var retryUncertain: Bool
    /// How often it looks for due jobs when nothing wakes it.
    public var pollInterval: TimeInterval
    /// How long an attempt may go without a result before it is given up.
    public var callTimeout: TimeInterval
    /// How long a graceful shutdown waits for calls in flight.
    public var drainTimeout: TimeInterval
    /// A value in `0..<1` per use, for backoff jitter.
    public var jitter: @Sendable () -> Double

    public init(
        policy: RetryPolicy = .default,
        retryUncertain: Bool = false,
        pollInterval: TimeInterval = 0.5,
        callTimeout: TimeInterval = 1800,
        drainTimeout: TimeInterval = 30,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.policy = policy
        self.retryUncertain = retryUncertain
        self.pollInterval = pollInterval
        self.callTimeout = callTimeout
        self.drainTimeout = drainTimeout
        self.jitter = jitter
    }
}
