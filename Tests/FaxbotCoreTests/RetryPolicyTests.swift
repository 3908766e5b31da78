import Foundation
import Testing

@testable import FaxbotCore

@Suite struct RetryPolicyTests {
    static let retryable: Set<FailureCause> = [
        .busy, .noAnswer, .lineError, .noFaxTone, .negotiationFailed, .transportUnavailable, .rateLimited,
    ]

    static let fixedDelays: [(FailureCause, TimeInterval)] = [
        (.busy, 180), (.noAnswer, 300), (.lineError, 60), (.noFaxTone, 300), (.negotiationFailed, 60),
    ]

    @Test func defaultsFollowHylaFAX() {
        let policy = RetryPolicy.default
        #expect(policy == RetryPolicy())
        #expect(policy.maxAttempts == 3)
        #expect(policy.busyDelay == 180)
        #expect(policy.noAnswerDelay == 300)
        #expect(policy.lineErrorDelay == 60)
        #expect(policy.noFaxToneDelay == 300)
        #expect(policy.negotiationFailedDelay == 60)
        #expect(policy.backoffBase == 30)
        #expect(policy.backoffCap == 3600)
    }

    @Test(arguments: FailureCause.allCases)
    func isRetryableForEveryCause(cause: FailureCause) {
        #expect(RetryPolicy.isRetryable(cause) == Self.retryable.contains(cause))
    }

    @Test func exactlySevenCausesAreRetryable() {
        #expect(FailureCause.allCases.filter(RetryPolicy.isRetryable).count == 7)
        let never: Set<FailureCause> = [
            .documentRejected, .invalidNumber, .authError, .providerRejected, .timeout, .outcomeUnknown, .canceled,
            .internalError,
        ]
        #expect(Set(FailureCause.allCases).subtracting(Self.retryable) == never)
    }

    @Test(arguments: fixedDelays, [1, 2])
    func fixedDelayPerCause(entry: (FailureCause, TimeInterval), attempt: Int) {
        let (cause, delay) = entry
        for jitter in [0, 0.5, 0.999] {
            #expect(RetryPolicy.default.delay(after: cause, attempt: attempt, jitter: jitter) == delay)
        }
    }

    @Test(arguments: FailureCause.allCases.filter { !RetryPolicy.isRetryable($0) })
    func nonRetryableCausesHaveNoDelay(cause: FailureCause) {
        let generous = RetryPolicy(maxAttempts: 100)
        for attempt in [0, 1, 2, 50] {
            #expect(generous.delay(after: cause, attempt: attempt, jitter: 0.5) == nil)
        }
    }

    @Test(arguments: Array(retryable), [3, 4, 10])
    func noDelayOnceAttemptsReachTheMaximum(cause: FailureCause, attempt: Int) {
        #expect(RetryPolicy.default.delay(after: cause, attempt: attempt, jitter: 0.5) == nil)
    }

    @Test func theMaximumIsConfigurable() {
        let policy = RetryPolicy(maxAttempts: 1)
        #expect(policy.delay(after: .busy, attempt: 0, jitter: 0) == 180)
        #expect(policy.delay(after: .busy, attempt: 1, jitter: 0) == nil)
    }

    @Test func customFixedDelaysAreUsed() {
        let policy = RetryPolicy(busyDelay: 1, noAnswerDelay: 2, lineErrorDelay: 3, noFaxToneDelay: 4, negotiationFailedDelay: 5)
        #expect(policy.delay(after: .busy, attempt: 1, jitter: 0) == 1)
        #expect(policy.delay(after: .noAnswer, attempt: 1, jitter: 0) == 2)
        #expect(policy.delay(after: .lineError, attempt: 1, jitter: 0) == 3)
        #expect(policy.delay(after: .noFaxTone, attempt: 1, jitter: 0) == 4)
        #expect(policy.delay(after: .negotiationFailed, attempt: 1, jitter: 0) == 5)
    }

    // MARK: exponential backoff with equal jitter

    /// attempt → full step with base 30 s, cap 3600 s.
    static let steps: [(Int, TimeInterval)] = [
        (1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 960), (7, 1920), (8, 3600), (9, 3600), (20, 3600),
    ]

    @Test(arguments: [FailureCause.transportUnavailable, .rateLimited], steps)
    func backoffDoublesAndIsCapped(cause: FailureCause, entry: (Int, TimeInterval)) {
        let (attempt, step) = entry
        let policy = RetryPolicy(maxAttempts: 100)
        #expect(policy.delay(after: cause, attempt: attempt, jitter: 0) == step / 2)
        #expect(policy.delay(after: cause, attempt: attempt, jitter: 0.5) == step * 0.75)
        #expect(policy.delay(after: cause, attempt: attempt, jitter: 1) == step)
    }

    @Test(arguments: [0.0, 0.1, 0.25, 0.5, 0.9, 0.999_999])
    func jitterStaysWithinTheUpperHalfOfTheStep(jitter: Double) throws {
        let delay = try #require(RetryPolicy.default.delay(after: .rateLimited, attempt: 2, jitter: jitter))
        #expect(delay >= 30)
        #expect(delay <= 60)
        #expect(abs(delay - (30 + 30 * jitter)) < 1e-9)
    }

    @Test func jitterOutsideTheUnitIntervalIsClamped() {
        let policy = RetryPolicy.default
        #expect(policy.delay(after: .transportUnavailable, attempt: 1, jitter: -3) == 15)
        #expect(policy.delay(after: .transportUnavailable, attempt: 1, jitter: 7) == 30)
    }

    @Test func aHugeAttemptNumberStaysAtTheCap() {
        let policy = RetryPolicy(maxAttempts: .max)
        #expect(policy.delay(after: .rateLimited, attempt: 10_000, jitter: 1) == 3600)
        #expect(policy.delay(after: .rateLimited, attempt: .max - 1, jitter: 0) == 1800)
    }

    @Test func attemptZeroUsesTheBaseStep() {
        #expect(RetryPolicy.default.delay(after: .transportUnavailable, attempt: 0, jitter: 1) == 30)
    }

    @Test func customBackoffBaseAndCap() {
        let policy = RetryPolicy(maxAttempts: 10, backoffBase: 10, backoffCap: 50)
        #expect(policy.delay(after: .rateLimited, attempt: 1, jitter: 1) == 10)
        #expect(policy.delay(after: .rateLimited, attempt: 3, jitter: 1) == 40)
        #expect(policy.delay(after: .rateLimited, attempt: 4, jitter: 1) == 50)
        #expect(policy.delay(after: .rateLimited, attempt: 4, jitter: 0) == 25)
    }
}
