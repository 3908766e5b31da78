import FaxbotCore
import Foundation
import Synchronization

/// A token bucket per caller: `rate` requests per second on average, bursts of up to `burst`.
///
/// Buckets live in memory (a restart refills them) and are keyed by the caller's claimed identity
/// (see ``RateLimitMiddleware``). A full bucket is the same as none, so full buckets are dropped
/// when the table grows past ``maxBuckets``: random key ids cannot grow it without bound.
public final class RateLimiter: Sendable {
    /// What one request may do, and the `X-RateLimit-*` values to answer with.
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// The bucket's size: requests allowed at once.
        public var limit: Int
        /// Whole requests left now.
        public var remaining: Int
        /// Seconds until the bucket is full again.
        public var resetSeconds: Int
        /// Seconds until the next request is allowed (0 when allowed).
        public var retryAfterSeconds: Int
    }

    public let rate: Double
    public let burst: Int
    static let maxBuckets = 10_000
    private let clock: any WallClock
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    /// - Parameters:
    ///   - rate: requests per second, more than 0.
    ///   - burst: requests at once; by default one second's worth, at least 1.
    public init(rate: Double, burst: Int? = nil, clock: any WallClock) {
        self.rate = rate
        self.burst = max(1, burst ?? Int(rate.rounded(.up)))
        self.clock = clock
    }

    /// Takes one token from `key`'s bucket when there is one.
    public func take(_ key: String) -> Decision {
        let now = clock.now()
        return buckets.withLock { table in
            var bucket = table[key].map { refilled($0, at: now) } ?? Bucket(tokens: Double(burst), updated: now)
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            table[key] = bucket
            if table.count > Self.maxBuckets {
                table = table.filter { refilled($0.value, at: now).tokens < Double(burst) }
            }
            let missing = Double(burst) - bucket.tokens
            return Decision(
                allowed: allowed, limit: burst, remaining: Int(bucket.tokens.rounded(.down)),
                resetSeconds: Int((missing / rate).rounded(.up)),
                retryAfterSeconds: allowed ? 0 : max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            )
        }
    }

    var bucketCount: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, at now: Date) -> Bucket {
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        return Bucket(tokens: min(Double(burst), bucket.tokens + elapsed * rate), updated: now)
    }
}
