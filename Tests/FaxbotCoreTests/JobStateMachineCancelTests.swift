import Foundation
import Testing

@testable import FaxbotCore

/// Cancel requests before and during an attempt.
@Suite struct JobStateMachineCancelTests {
    static func expectCanceled(_ transition: Transition, from status: JobStatus, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(transition.from == status, sourceLocation: sourceLocation)
        #expect(transition.to == .canceled, sourceLocation: sourceLocation)
        #expect(transition.cause == .canceled, sourceLocation: sourceLocation)
        #expect(transition.job.status == .canceled, sourceLocation: sourceLocation)
        #expect(transition.job.cancelRequested, sourceLocation: sourceLocation)
        #expect(transition.job.failureCause == .canceled, sourceLocation: sourceLocation)
        #expect(transition.job.error == FailureCause.canceled.explanation, sourceLocation: sourceLocation)
        #expect(transition.job.nextAttemptAt == nil, sourceLocation: sourceLocation)
        #expect(transition.job.completedAt == Fixture.now, sourceLocation: sourceLocation)
        #expect(transition.job.updatedAt == Fixture.now, sourceLocation: sourceLocation)
    }

    @Test func cancelingAQueuedJobCancelsItAtOnce() throws {
        let transition = try Fixture.accept(.cancelRequested, to: Fixture.job())
        Self.expectCanceled(transition, from: .queued)
        #expect(transition.detail == "canceled before an attempt was in flight")
    }

    @Test func cancelingAJobWaitingToRetryCancelsItEvenBeforeItIsDue() throws {
        var job = Fixture.job(attempts: 1, nextAttemptAt: Fixture.now.addingTimeInterval(300))
        job.failureCause = .noAnswer
        let transition = try Fixture.accept(.cancelRequested, to: job)
        Self.expectCanceled(transition, from: .queued)
        #expect(transition.job.attempts == 1)
    }

    @Test func cancelingAnAttemptInFlightWaitsForTheTransport() throws {
        let transition = try Fixture.accept(.cancelRequested, to: Fixture.inFlight(attempts: 2, providerSid: "FX1"))
        #expect(transition.from == .inProgress)
        #expect(transition.to == .inProgress)
        #expect(transition.cause == nil)
        #expect(transition.detail == "cancel requested; waiting for the transport")
        #expect(transition.job.status == .inProgress)
        #expect(transition.job.cancelRequested)
        #expect(transition.job.attempts == 2)
        #expect(transition.job.providerSid == "FX1")
        #expect(transition.job.completedAt == nil)
        #expect(transition.job.updatedAt == Fixture.now)
    }

    @Test func aSecondCancelRequestInFlightChangesNothingElse() throws {
        let once = try Fixture.accept(.cancelRequested, to: Fixture.inFlight())
        let twice = try Fixture.accept(.cancelRequested, to: once.job)
        #expect(twice.to == .inProgress)
        #expect(twice.job == once.job)
    }

    @Test(arguments: FailureCause.allCases)
    func anyFailureAfterACancelRequestCancelsTheJob(cause: FailureCause) throws {
        let requested = try Fixture.accept(.cancelRequested, to: Fixture.inFlight(attempts: 1)).job
        let transition = try Fixture.accept(.failed(cause, detail: nil, pagesSent: 1), to: requested)
        Self.expectCanceled(transition, from: .inProgress)
        #expect(transition.detail == "canceled during the attempt")
        #expect(transition.job.pagesSent == 1)
    }

    @Test func aFailureDetailAfterACancelRequestIsKept() throws {
        let job = Fixture.inFlight(cancelRequested: true)
        let transition = try Fixture.accept(.failed(.busy, detail: "hung up on request", pagesSent: nil), to: job)
        #expect(transition.to == .canceled)
        #expect(transition.detail == "hung up on request")
    }

    @Test(arguments: [false, true])
    func theTransportConfirmingACancelCancelsTheJob(requested: Bool) throws {
        let transition = try Fixture.accept(.canceledByTransport, to: Fixture.inFlight(cancelRequested: requested))
        Self.expectCanceled(transition, from: .inProgress)
        #expect(transition.detail == "transport confirmed the cancel")
    }

    @Test func everyPageGoingOutDespiteACancelRequestIsStillDelivered() throws {
        let job = Fixture.inFlight(pagesTotal: 2, cancelRequested: true)
        let transition = try Fixture.accept(.completed(pagesSent: 2), to: job)
        #expect(transition.to == .delivered)
        #expect(transition.job.failureCause == nil)
    }

    /// A transport that hangs up mid-fax because of the cancel may report a short success;
    /// the job must not be queued again after the sender canceled it.
    @Test(arguments: [0, 1, 2])
    func aShortSuccessAfterACancelRequestCancelsTheJob(pagesSent: Int) throws {
        let job = Fixture.inFlight(attempts: 1, pagesTotal: 3, cancelRequested: true)
        let transition = try Fixture.accept(.completed(pagesSent: pagesSent), to: job)
        Self.expectCanceled(transition, from: .inProgress)
        #expect(transition.job.pagesSent == pagesSent)
        #expect(transition.detail == "transport reported success with \(pagesSent) of 3 pages")
    }

    @Test func requeueUnsentAfterACancelRequestCancelsTheJob() throws {
        let job = Fixture.inFlight(attempts: 2, cancelRequested: true)
        let transition = try Fixture.accept(.requeueUnsent(detail: "never reached the modem"), to: job)
        Self.expectCanceled(transition, from: .inProgress)
        #expect(transition.detail == "never reached the modem")
    }

    @Test func anUnknownOutcomeAfterACancelRequestFailsEvenWhenRetryingUncertainAttempts() throws {
        let job = Fixture.inFlight(attempts: 1, cancelRequested: true)
        let transition = try Fixture.accept(.outcomeUnknown(detail: "lost"), to: job, context: Fixture.context(retryUncertain: true))
        #expect(transition.to == .failed)
        #expect(transition.cause == .outcomeUnknown)
        #expect(transition.job.failureCause == .outcomeUnknown)
    }
}
