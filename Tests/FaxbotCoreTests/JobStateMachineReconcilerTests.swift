import Foundation
import Testing

@testable import FaxbotCore

/// Late reports about earlier attempts, and what the reconciler decides about lost attempts.
@Suite struct JobStateMachineReconcilerTests {
    static let attemptReports = JobEvent.allKinds.filter(\.isAttemptReport)
    static let otherEvents = JobEvent.allKinds.filter { !$0.isAttemptReport }

    // MARK: stale attempt reports

    @Test(arguments: attemptReports, [1, 3, 0])
    func aReportAboutAnotherAttemptIsStale(event: JobEvent, reported: Int) {
        let job = Fixture.inFlight(attempts: 2)
        #expect(Fixture.reject(event, to: job, attempt: reported) == .staleAttempt(reported: reported, current: 2))
    }

    @Test(arguments: attemptReports)
    func aReportAboutTheCurrentAttemptIsApplied(event: JobEvent) throws {
        let job = Fixture.inFlight(attempts: 2, pagesTotal: 1)
        let withNumber = JobStateMachine.apply(event, to: job, attempt: 2, context: Fixture.context())
        let withoutNumber = JobStateMachine.apply(event, to: job, context: Fixture.context())
        #expect(withNumber == withoutNumber)
        _ = try Fixture.accept(event, to: job, attempt: 2)
    }

    @Test func aLateReportForAJobWaitingToRetryIsStale() {
        let job = Fixture.job(attempts: 2, nextAttemptAt: Fixture.now.addingTimeInterval(60))
        let event = JobEvent.failed(.busy, detail: nil, pagesSent: nil)
        #expect(Fixture.reject(event, to: job, attempt: 1) == .staleAttempt(reported: 1, current: 2))
        #expect(Fixture.reject(event, to: job, attempt: 2) == .notApplicable(.queued, event: "failed"))
    }

    @Test func staleRejectionDescribesBothAttempts() {
        let rejection = Rejection.staleAttempt(reported: 1, current: 2)
        #expect(rejection.description == "ignored: report for attempt 1, current attempt is 2")
    }

    @Test func claimIgnoresTheAttemptNumber() throws {
        let transition = try Fixture.accept(.claim, to: Fixture.job(attempts: 1), attempt: 7)
        #expect(transition.to == .inProgress)
        #expect(transition.job.attempts == 2)
    }

    @Test(arguments: [0, 1, 5])
    func cancelRequestIgnoresTheAttemptNumber(attempt: Int) throws {
        let queued = try Fixture.accept(.cancelRequested, to: Fixture.job(attempts: 2), attempt: attempt)
        #expect(queued.to == .canceled)
        let inFlight = try Fixture.accept(.cancelRequested, to: Fixture.inFlight(attempts: 2), attempt: attempt)
        #expect(inFlight.to == .inProgress)
        #expect(inFlight.job.cancelRequested)
    }

    @Test(arguments: otherEvents)
    func eventsThatAreNotAttemptReportsAreNeverStale(event: JobEvent) {
        for job in [Fixture.job(attempts: 2), Fixture.inFlight(attempts: 2)] {
            let result = JobStateMachine.apply(event, to: job, attempt: 1, context: Fixture.context())
            let unnumbered = JobStateMachine.apply(event, to: job, context: Fixture.context())
            #expect(result == unnumbered)
            #expect(result != .failure(.staleAttempt(reported: 1, current: 2)))
        }
    }

    // MARK: requeueUnsent

    @Test(arguments: [1, 2, 3])
    func requeueUnsentGivesTheAttemptBack(attempts: Int) throws {
        var job = Fixture.inFlight(attempts: attempts, pagesSent: 0, providerSid: nil)
        job.failureCause = .busy
        let transition = try Fixture.accept(.requeueUnsent(detail: "never submitted"), to: job)
        #expect(transition.from == .inProgress)
        #expect(transition.to == .queued)
        #expect(transition.cause == nil)
        #expect(transition.detail == "never submitted")
        #expect(transition.job.status == .queued)
        #expect(transition.job.attempts == attempts - 1)
        #expect(transition.job.nextAttemptAt == Fixture.now)
        #expect(transition.job.isDue(at: Fixture.now))
        #expect(transition.job.failureCause == .busy)
        #expect(transition.job.completedAt == nil)
        #expect(transition.job.updatedAt == Fixture.now)
    }

    @Test func requeueUnsentNeverMakesAttemptsNegative() throws {
        let transition = try Fixture.accept(.requeueUnsent(detail: "x"), to: Fixture.inFlight(attempts: 0))
        #expect(transition.job.attempts == 0)
    }

    @Test func aRequeuedAttemptIsClaimedWithTheSameNumber() throws {
        let requeued = try Fixture.accept(.requeueUnsent(detail: "x"), to: Fixture.inFlight(attempts: 2)).job
        let claimed = try Fixture.accept(.claim, to: requeued)
        #expect(claimed.job.attempts == 2)
    }

    // MARK: outcomeUnknown

    @Test(arguments: [1, 2, 3])
    func anUnknownOutcomeFailsTheJobByDefault(attempts: Int) throws {
        let transition = try Fixture.accept(.outcomeUnknown(detail: "lost"), to: Fixture.inFlight(attempts: attempts))
        #expect(transition.to == .failed)
        #expect(transition.cause == .outcomeUnknown)
        #expect(transition.detail == "lost")
        #expect(transition.job.failureCause == .outcomeUnknown)
        #expect(transition.job.error == FailureCause.outcomeUnknown.explanation)
        #expect(transition.job.nextAttemptAt == nil)
        #expect(transition.job.completedAt == Fixture.now)
        #expect(transition.job.attempts == attempts)
    }

    @Test(arguments: [1, 2])
    func anUnknownOutcomeIsQueuedAgainWhenRetryingUncertainAttempts(attempts: Int) throws {
        let context = Fixture.context(retryUncertain: true)
        let transition = try Fixture.accept(.outcomeUnknown(detail: "lost"), to: Fixture.inFlight(attempts: attempts), context: context)
        #expect(transition.to == .queued)
        #expect(transition.cause == .outcomeUnknown)
        #expect(transition.detail == "lost; retry_uncertain is on")
        #expect(transition.job.attempts == attempts)
        #expect(transition.job.failureCause == .outcomeUnknown)
        #expect(transition.job.error == FailureCause.outcomeUnknown.explanation)
        #expect(transition.job.nextAttemptAt == Fixture.now)
        #expect(transition.job.completedAt == nil)
        #expect(transition.job.updatedAt == Fixture.now)
    }

    @Test func anUnknownOutcomeOnTheLastAttemptFailsEvenWhenRetryingUncertainAttempts() throws {
        let context = Fixture.context(retryUncertain: true)
        let transition = try Fixture.accept(.outcomeUnknown(detail: "lost"), to: Fixture.inFlight(attempts: 3), context: context)
        #expect(transition.to == .failed)
        #expect(transition.cause == .outcomeUnknown)
        #expect(transition.detail == "lost")
        #expect(transition.job.completedAt == Fixture.now)
    }
}
