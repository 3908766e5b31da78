import Foundation
import Testing

@testable import FaxbotCore

/// The `prepared` event: the real page count, known before the transport dials.
@Suite struct JobStateMachinePreparedTests {
    @Test func preparedSetsThePageCountTheAttemptMustDeliver() throws {
        let job = Fixture.job(status: .inProgress, attempts: 1, pagesTotal: 1)
        let prepared = try JobStateMachine.apply(.prepared(pages: 3), to: job, attempt: 1, context: Fixture.context()).get()
        #expect(prepared.job.pagesTotal == 3)
        #expect(prepared.to == .inProgress)
        #expect(prepared.detail == "document prepared and checked: 3 page(s)")
        // Two of three pages is not a delivery, whatever the transport says.
        let short = try JobStateMachine.apply(.completed(pagesSent: 2), to: prepared.job, attempt: 1, context: Fixture.context()).get()
        #expect(short.to == .queued)
        #expect(short.cause == .lineError)
        let complete = try JobStateMachine.apply(.completed(pagesSent: 3), to: prepared.job, attempt: 1, context: Fixture.context()).get()
        #expect(complete.to == .delivered)
    }

    @Test(arguments: [0, -1])
    func aPreparedDocumentWithoutPagesIsRejected(pages: Int) {
        let job = Fixture.job(status: .inProgress, attempts: 1, pagesTotal: 1)
        let result = JobStateMachine.apply(.prepared(pages: pages), to: job, attempt: 1, context: Fixture.context())
        #expect(result == .failure(.notApplicable(.inProgress, event: "prepared")))
    }

    @Test func aPreparedReportForAnEarlierAttemptIsStale() {
        let job = Fixture.job(status: .inProgress, attempts: 2, pagesTotal: 1)
        let result = JobStateMachine.apply(.prepared(pages: 4), to: job, attempt: 1, context: Fixture.context())
        #expect(result == .failure(.staleAttempt(reported: 1, current: 2)))
    }
}
