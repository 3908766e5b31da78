import Foundation
import Testing

@testable import FaxbotCore

/// Claiming, reporting progress and completing an attempt.
@Suite struct JobStateMachineTests {
    // MARK: claim

    @Test(arguments: [0, 1, 2])
    func claimStartsTheNextAttempt(attempts: Int) throws {
        let job = Fixture.job(
            attempts: attempts,
            pagesSent: 2,
            providerSid: "old-sid",
            nextAttemptAt: Fixture.now.addingTimeInterval(-1)
        )
        let transition = try Fixture.accept(.claim, to: job)
        #expect(transition.from == .queued)
        #expect(transition.to == .inProgress)
        #expect(transition.cause == nil)
        #expect(transition.detail == "attempt \(attempts + 1) of 3")
        #expect(transition.job.status == .inProgress)
        #expect(transition.job.attempts == attempts + 1)
        #expect(transition.job.nextAttemptAt == nil)
        #expect(transition.job.providerSid == nil)
        #expect(transition.job.pagesSent == 0)
        #expect(transition.job.updatedAt == Fixture.now)
        #expect(transition.job.completedAt == nil)
    }

    @Test func claimSucceedsExactlyAtTheRetryTime() throws {
        let job = Fixture.job(attempts: 1, nextAttemptAt: Fixture.now)
        let transition = try Fixture.accept(.claim, to: job)
        #expect(transition.job.attempts == 2)
    }

    @Test(arguments: [0.001, 1, 180, 86_400] as [TimeInterval])
    func claimBeforeTheRetryTimeIsNotDue(secondsEarly: TimeInterval) {
        let job = Fixture.job(attempts: 1, nextAttemptAt: Fixture.now.addingTimeInterval(secondsEarly))
        #expect(job.nextAttemptAt.map { $0 > Fixture.now } == true)
        #expect(Fixture.reject(.claim, to: job) == .notDue)
    }

    @Test func notDueRejectionHasAPlainDescription() {
        #expect(Rejection.notDue.description == "ignored: the job is not due yet")
    }

    @Test func isDueOnlyForQueuedJobsWhoseTimeHasCome() {
        #expect(Fixture.job(nextAttemptAt: nil).isDue(at: Fixture.now))
        #expect(Fixture.job(nextAttemptAt: Fixture.now).isDue(at: Fixture.now))
        #expect(!Fixture.job(nextAttemptAt: Fixture.now.addingTimeInterval(1)).isDue(at: Fixture.now))
        for status in JobStatus.allCases where status != .queued {
            #expect(!Fixture.job(status: status).isDue(at: Fixture.now), "\(status.rawValue)")
        }
    }

    @Test func claimKeepsThePreviousFailureForTheRecord() throws {
        var job = Fixture.job(attempts: 1, nextAttemptAt: Fixture.now)
        job.failureCause = .busy
        job.error = FailureCause.busy.explanation
        let transition = try Fixture.accept(.claim, to: job)
        #expect(transition.job.failureCause == .busy)
        #expect(transition.job.error == FailureCause.busy.explanation)
    }

    // MARK: submitted and progress

    @Test func submittedRecordsTheProviderReference() throws {
        let transition = try Fixture.accept(.submitted(providerSid: "FX123"), to: Fixture.inFlight())
        #expect(transition.from == .inProgress)
        #expect(transition.to == .inProgress)
        #expect(transition.job.providerSid == "FX123")
        #expect(transition.detail == "accepted by transport")
        #expect(transition.cause == nil)
        #expect(transition.job.updatedAt == Fixture.now)
    }

    @Test func submittedWithoutAReferenceKeepsTheKnownOne() throws {
        let transition = try Fixture.accept(.submitted(providerSid: nil), to: Fixture.inFlight(providerSid: "FX1"))
        #expect(transition.job.providerSid == "FX1")
    }

    @Test func progressRecordsPagesAndNeverGoesBackwards() throws {
        let first = try Fixture.accept(.progress(pagesSent: 2), to: Fixture.inFlight())
        #expect(first.job.pagesSent == 2)
        #expect(first.to == .inProgress)
        #expect(first.detail == "2 page(s) confirmed")
        let late = try Fixture.accept(.progress(pagesSent: 1), to: first.job)
        #expect(late.job.pagesSent == 2)
        #expect(late.to == .inProgress)
    }

    // MARK: completed

    @Test(arguments: [1, 2, 5, 40])
    func completedWithEveryPageIsDelivered(pages: Int) throws {
        var job = Fixture.inFlight(attempts: 2, pagesTotal: pages)
        job.failureCause = .busy
        job.error = FailureCause.busy.explanation
        let transition = try Fixture.accept(.completed(pagesSent: pages), to: job)
        #expect(transition.from == .inProgress)
        #expect(transition.to == .delivered)
        #expect(transition.cause == nil)
        #expect(transition.detail == "\(pages) page(s) delivered")
        #expect(transition.job.status == .delivered)
        #expect(transition.job.pagesSent == pages)
        #expect(transition.job.failureCause == nil)
        #expect(transition.job.error == nil)
        #expect(transition.job.completedAt == Fixture.now)
        #expect(transition.job.updatedAt == Fixture.now)
        #expect(transition.job.nextAttemptAt == nil)
        #expect(transition.job.attempts == 2)
    }

    @Test func completedCountsPagesAlreadyConfirmedByProgress() throws {
        let job = Fixture.inFlight(pagesTotal: 3, pagesSent: 3)
        let transition = try Fixture.accept(.completed(pagesSent: 0), to: job)
        #expect(transition.to == .delivered)
        #expect(transition.job.pagesSent == 3)
    }

    @Test func completedWithAnUnknownPageTotalIsDeliveredWhenAPageWentOut() throws {
        let transition = try Fixture.accept(.completed(pagesSent: 2), to: Fixture.inFlight(pagesTotal: nil))
        #expect(transition.to == .delivered)
        #expect(transition.job.pagesSent == 2)
    }

    @Test func completedWithFewerPagesIsALineErrorAndRetried() throws {
        let transition = try Fixture.accept(.completed(pagesSent: 2), to: Fixture.inFlight(attempts: 1, pagesTotal: 3))
        #expect(transition.to == .queued)
        #expect(transition.cause == .lineError)
        #expect(transition.detail == "transport reported success with 2 of 3 pages")
        #expect(transition.job.failureCause == .lineError)
        #expect(transition.job.error == FailureCause.lineError.explanation)
        #expect(transition.job.nextAttemptAt == Fixture.now.addingTimeInterval(60))
        #expect(transition.job.pagesSent == 2)
        #expect(transition.job.completedAt == nil)
    }

    @Test func completedWithFewerPagesOnTheLastAttemptFails() throws {
        let transition = try Fixture.accept(.completed(pagesSent: 1), to: Fixture.inFlight(attempts: 3, pagesTotal: 3))
        #expect(transition.to == .failed)
        #expect(transition.cause == .lineError)
        #expect(transition.job.failureCause == .lineError)
        #expect(transition.job.nextAttemptAt == nil)
        #expect(transition.job.completedAt == Fixture.now)
    }

    @Test func completedWithMorePagesThanTheDocumentHasIsNotDelivered() throws {
        let transition = try Fixture.accept(.completed(pagesSent: 4), to: Fixture.inFlight(attempts: 1, pagesTotal: 3))
        #expect(transition.to == .queued)
        #expect(transition.cause == .lineError)
    }

    @Test(arguments: [nil, 0, 1, 3] as [Int?], [1, 2, 3])
    func completedWithNoPagesIsNeverDelivered(pagesTotal: Int?, attempts: Int) throws {
        let job = Fixture.inFlight(attempts: attempts, pagesTotal: pagesTotal)
        let transition = try Fixture.accept(.completed(pagesSent: 0), to: job)
        #expect(transition.to != .delivered)
        #expect(transition.to == (attempts < 3 ? .queued : .failed))
        #expect(transition.cause == .lineError)
        #expect(transition.job.failureCause == .lineError)
        let total = pagesTotal.map(String.init) ?? "?"
        #expect(transition.detail == "transport reported success with 0 of \(total) pages")
    }

    // MARK: transition record

    @Test func aTransitionRecordsWhereTheJobCameFromAndWentTo() throws {
        let claimed = try Fixture.accept(.claim, to: Fixture.job())
        let failed = try Fixture.accept(
            .failed(.invalidNumber, detail: "number unobtainable", pagesSent: nil),
            to: claimed.job,
            context: Fixture.context(now: Fixture.now.addingTimeInterval(30))
        )
        #expect(failed.from == .inProgress)
        #expect(failed.to == .failed)
        #expect(failed.cause == .invalidNumber)
        #expect(failed.detail == "number unobtainable")
        #expect(failed.job.updatedAt == Fixture.now.addingTimeInterval(30))
        #expect(failed.job.completedAt == Fixture.now.addingTimeInterval(30))
        #expect(failed.job.createdAt == Fixture.createdAt)
    }

    @Test func aRejectedEventLeavesNothingToRecord() {
        let job = Fixture.job(status: .delivered)
        let result = JobStateMachine.apply(.claim, to: job, context: Fixture.context())
        #expect(throws: Rejection.terminal(.delivered)) { try result.get() }
    }

    @Test func aJobGoesFromQueuedToDeliveredThroughOneAttempt() throws {
        var job = Fixture.job(pagesTotal: 2)
        job = try Fixture.accept(.claim, to: job).job
        job = try Fixture.accept(.submitted(providerSid: "FX9"), to: job, attempt: 1).job
        job = try Fixture.accept(.progress(pagesSent: 1), to: job, attempt: 1).job
        let last = try Fixture.accept(.completed(pagesSent: 2), to: job, attempt: 1)
        #expect(last.to == .delivered)
        #expect(last.job.attempts == 1)
        #expect(last.job.providerSid == "FX9")
        #expect(last.job.pagesSent == 2)
    }
}
