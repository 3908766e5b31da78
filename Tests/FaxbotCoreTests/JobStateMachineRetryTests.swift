import Foundation
import Testing

@testable import FaxbotCore

/// Failed attempts: which are retried, when, and when the job gives up.
@Suite struct JobStateMachineRetryTests {
    static let fixedDelays: [(FailureCause, TimeInterval)] = [
        (.busy, 180), (.noAnswer, 300), (.lineError, 60), (.noFaxTone, 300), (.negotiationFailed, 60),
    ]

    static let nonRetryable: [FailureCause] = [
        .documentRejected, .invalidNumber, .authError, .providerRejected, .timeout, .outcomeUnknown, .internalError,
    ]

    static func failed(_ cause: FailureCause, detail: String? = nil, pagesSent: Int? = nil) -> JobEvent {
        .failed(cause, detail: detail, pagesSent: pagesSent)
    }

    @Test(arguments: fixedDelays, [1, 2])
    func retryableCauseRequeuesAfterItsDelay(entry: (FailureCause, TimeInterval), attempts: Int) throws {
        let (cause, delay) = entry
        let transition = try Fixture.accept(Self.failed(cause, detail: "from transport"), to: Fixture.inFlight(attempts: attempts))
        #expect(transition.from == .inProgress)
        #expect(transition.to == .queued)
        #expect(transition.cause == cause)
        #expect(transition.detail == "from transport")
        #expect(transition.job.status == .queued)
        #expect(transition.job.attempts == attempts)
        #expect(transition.job.failureCause == cause)
        #expect(transition.job.error == cause.explanation)
        #expect(transition.job.nextAttemptAt == Fixture.now.addingTimeInterval(delay))
        #expect(transition.job.updatedAt == Fixture.now)
        #expect(transition.job.completedAt == nil)
        #expect(!transition.job.isDue(at: Fixture.now))
        #expect(transition.job.isDue(at: Fixture.now.addingTimeInterval(delay)))
    }

    @Test(arguments: fixedDelays.map(\.0) + [.transportUnavailable, .rateLimited])
    func retryableCauseFailsOnceAttemptsReachTheMaximum(cause: FailureCause) throws {
        let transition = try Fixture.accept(Self.failed(cause), to: Fixture.inFlight(attempts: 3))
        #expect(transition.to == .failed)
        #expect(transition.cause == cause)
        #expect(transition.job.failureCause == cause)
        #expect(transition.job.error == cause.explanation)
        #expect(transition.job.nextAttemptAt == nil)
        #expect(transition.job.completedAt == Fixture.now)
        #expect(transition.job.attempts == 3)
    }

    @Test(arguments: nonRetryable, [1, 2, 3])
    func nonRetryableCauseFailsAtOnce(cause: FailureCause, attempts: Int) throws {
        let transition = try Fixture.accept(Self.failed(cause, detail: "why"), to: Fixture.inFlight(attempts: attempts))
        #expect(transition.to == .failed)
        #expect(transition.cause == cause)
        #expect(transition.detail == "why")
        #expect(transition.job.status == .failed)
        #expect(transition.job.failureCause == cause)
        #expect(transition.job.error == (cause == .documentRejected ? "The document could not be prepared for faxing: why." : cause.explanation))
        #expect(transition.job.nextAttemptAt == nil)
        #expect(transition.job.completedAt == Fixture.now)
        #expect(transition.job.updatedAt == Fixture.now)
    }

    @Test func backoffCausesUseEqualJitter() throws {
        let job = Fixture.inFlight(attempts: 1)
        let low = try Fixture.accept(Self.failed(.transportUnavailable), to: job, context: Fixture.context(jitter: 0))
        #expect(low.to == .queued)
        #expect(low.job.nextAttemptAt == Fixture.now.addingTimeInterval(15))
        let high = try Fixture.accept(Self.failed(.rateLimited), to: job, context: Fixture.context(jitter: 1))
        #expect(high.job.nextAttemptAt == Fixture.now.addingTimeInterval(30))
        let second = try Fixture.accept(
            Self.failed(.transportUnavailable),
            to: Fixture.inFlight(attempts: 2),
            context: Fixture.context(jitter: 0.5)
        )
        #expect(second.job.nextAttemptAt == Fixture.now.addingTimeInterval(45))
    }

    @Test func theRetryTimeIsKeptToTheMillisecond() throws {
        let transition = try Fixture.accept(
            Self.failed(.transportUnavailable),
            to: Fixture.inFlight(attempts: 1),
            context: Fixture.context(jitter: 0.123_456_7)
        )
        let next = try #require(transition.job.nextAttemptAt)
        #expect(next == next.roundedToMilliseconds)
        #expect(abs(next.timeIntervalSince(Fixture.now) - (15 + 15 * 0.123_456_7)) < 0.001)
    }

    @Test func aCustomPolicyDecidesTheDelayAndTheLimit() throws {
        let policy = RetryPolicy(maxAttempts: 5, busyDelay: 7)
        let context = Fixture.context(policy: policy)
        var job = Fixture.inFlight(attempts: 4)
        job.maxAttempts = 5
        let retried = try Fixture.accept(Self.failed(.busy), to: job, context: context)
        #expect(retried.to == .queued)
        #expect(retried.job.nextAttemptAt == Fixture.now.addingTimeInterval(7))
        job.attempts = 5
        let failed = try Fixture.accept(Self.failed(.busy), to: job, context: context)
        #expect(failed.to == .failed)
    }

    @Test func aJobWithOneAttemptAllowedFailsOnTheFirstRetryableFailure() throws {
        var job = Fixture.inFlight(attempts: 1)
        job.maxAttempts = 1
        let transition = try Fixture.accept(Self.failed(.busy), to: job)
        #expect(transition.to == .failed)
        #expect(transition.job.failureCause == .busy)
    }

    @Test func failedRecordsPagesSentWithoutGoingBackwards() throws {
        let more = try Fixture.accept(Self.failed(.lineError, pagesSent: 2), to: Fixture.inFlight(pagesSent: 1))
        #expect(more.job.pagesSent == 2)
        let fewer = try Fixture.accept(Self.failed(.lineError, pagesSent: 0), to: Fixture.inFlight(pagesSent: 1))
        #expect(fewer.job.pagesSent == 1)
        let unknown = try Fixture.accept(Self.failed(.lineError, pagesSent: nil), to: Fixture.inFlight(pagesSent: 1))
        #expect(unknown.job.pagesSent == 1)
    }

    @Test func failedWithTheCanceledCauseCancelsTheJob() throws {
        let transition = try Fixture.accept(Self.failed(.canceled, detail: "hung up"), to: Fixture.inFlight())
        #expect(transition.to == .canceled)
        #expect(transition.cause == .canceled)
        #expect(transition.detail == "hung up")
        #expect(transition.job.cancelRequested)
        #expect(transition.job.failureCause == .canceled)
    }

    /// A busy line three times: two retries at the busy delay, then the job fails.
    @Test func busyThreeTimesFailsTheJobAfterTheThirdAttempt() throws {
        var job = Fixture.job()
        var now = Fixture.now
        for attempt in 1...3 {
            let claimed = try Fixture.accept(.claim, to: job, context: Fixture.context(now: now))
            #expect(claimed.job.attempts == attempt)
            let failed = try Fixture.accept(Self.failed(.busy), to: claimed.job, attempt: attempt, context: Fixture.context(now: now))
            job = failed.job
            if attempt < 3 {
                #expect(failed.to == .queued)
                #expect(job.nextAttemptAt == now.addingTimeInterval(180))
                let early = now.addingTimeInterval(179)
                #expect(Fixture.reject(.claim, to: job, context: Fixture.context(now: early)) == .notDue)
                now = now.addingTimeInterval(180)
            } else {
                #expect(failed.to == .failed)
            }
        }
        #expect(job.status == .failed)
        #expect(job.attempts == 3)
        #expect(job.failureCause == .busy)
        #expect(job.completedAt == now)
        #expect(Fixture.reject(.claim, to: job, context: Fixture.context(now: now.addingTimeInterval(1_000))) == .terminal(.failed))
    }
}
