import FaxbotCore
import Foundation
import Testing

@testable import FaxbotServer

/// The token bucket on a manual clock: exact numbers, no sleeping.
@Suite struct RateLimiterTests {
    @Test func aBurstIsServedThenRefusedWithTheTimeToWait() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 2, clock: clock)
        let first = limiter.take("key:a")
        #expect(first == .init(allowed: true, limit: 2, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0))
        #expect(limiter.take("key:a") == .init(allowed: true, limit: 2, remaining: 0, resetSeconds: 1, retryAfterSeconds: 0))
        #expect(limiter.take("key:a") == .init(allowed: false, limit: 2, remaining: 0, resetSeconds: 1, retryAfterSeconds: 1))
        // Half a second refills one token at 2/s.
        clock.advance(by: 0.5)
        #expect(limiter.take("key:a").allowed)
        #expect(!limiter.take("key:a").allowed)
    }

    @Test func callersHaveTheirOwnBuckets() {
        let limiter = RateLimiter(rate: 1, clock: ManualClock())
        #expect(limiter.take("key:a").allowed)
        #expect(!limiter.take("key:a").allowed)
        #expect(limiter.take("key:b").allowed)
        #expect(limiter.take("env").allowed)
    }

    @Test func aSlowRateWaitsWholeSecondsAndNeverOverfills() {
        let clock = ManualClock()
        // 30 requests a minute.
        let limiter = RateLimiter(rate: 0.5, clock: clock)
        #expect(limiter.burst == 1)
        #expect(limiter.take("k").allowed)
        let refused = limiter.take("k")
        #expect(refused.retryAfterSeconds == 2)
        #expect(refused.resetSeconds == 2)
        clock.advance(by: 3600)
        #expect(limiter.take("k").remaining == 0, "an hour idle refills one burst, not 1800 requests")
    }

    @Test func fullBucketsAreForgottenSoRandomKeysCannotGrowTheTable() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 1000, burst: 1, clock: clock)
        for n in 0..<(RateLimiter.maxBuckets + 500) {
            _ = limiter.take("key:\(n)")
            clock.advance(by: 0.002)
        }
        #expect(limiter.bucketCount <= RateLimiter.maxBuckets + 1)
    }

    @Test func theConfiguredRateIsRPSElseRPMOverSixty() {
        var config = FaxbotConfig()
        #expect(config.rateLimitPerSecond == nil)
        config.rateLimitRPM = 120
        #expect(config.rateLimitPerSecond == 2)
        config.rateLimitRPS = 5
        #expect(config.rateLimitPerSecond == 5)
    }
}

@Suite struct RateLimitConfigTests {
    @Test func v3sPerMinuteNameAndTheRPSSettingAreRead() {
        let (config, issues) = ConfigLoader(environment: ["MAX_REQUESTS_PER_MINUTE": "90", "FAXBOT_RATE_LIMIT_RPS": "2.5"]).load()
        #expect(issues.isEmpty)
        #expect(config.rateLimitRPM == 90)
        #expect(config.rateLimitRPS == 2.5)
        #expect(config.rateLimitPerSecond == 2.5)
    }

    @Test(arguments: ["0", "-1", "fast", "nan", "1e9"])
    func aBadRPSIsExplained(value: String) {
        let (config, issues) = ConfigLoader(environment: ["FAXBOT_RATE_LIMIT_RPS": value]).load()
        #expect(config.rateLimitRPS == nil)
        #expect(issues.map(\.key) == ["api.rate_limit_rps"])
    }
}
