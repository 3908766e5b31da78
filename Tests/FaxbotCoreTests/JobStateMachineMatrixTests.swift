import Foundation
import Testing

@testable import FaxbotCore

/// Every (status, event kind) pair, with the exact outcome the state machine must give.
@Suite struct JobStateMachineMatrixTests {
    enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case moves(to: JobStatus)
        case rejected(Rejection)

        var description: String {
            switch self {
            case .moves(let status): "moves to \(status.rawValue)"
            case .rejected(let rejection): rejection.description
            }
        }
    }

    /// Expected outcomes for the non-terminal statuses, keyed by `JobEvent.name`.
    static let table: [JobStatus: [String: Outcome]] = [
        .queued: [
            "claim": .moves(to: .inProgress),
            "prepared": .rejected(.notApplicable(.queued, event: "prepared")),
            "submitted": .rejected(.notApplicable(.queued, event: "submitted")),
            "progress": .rejected(.notApplicable(.queued, event: "progress")),
            "completed": .rejected(.notApplicable(.queued, event: "completed")),
            "failed": .rejected(.notApplicable(.queued, event: "failed")),
            "cancel_requested": .moves(to: .canceled),
            "canceled_by_transport": .rejected(.notApplicable(.queued, event: "canceled_by_transport")),
            "requeue_unsent": .rejected(.notApplicable(.queued, event: "requeue_unsent")),
            "outcome_unknown": .rejected(.notApplicable(.queued, event: "outcome_unknown")),
        ],
        .inProgress: [
            "claim": .rejected(.notApplicable(.inProgress, event: "claim")),
            "prepared": .moves(to: .inProgress),
            "submitted": .moves(to: .inProgress),
            "progress": .moves(to: .inProgress),
            // The representative event reports 1 page of a 1-page job.
            "completed": .moves(to: .delivered),
            // The representative failure is `busy` on attempt 1 of 3: retried.
            "failed": .moves(to: .queued),
            "cancel_requested": .moves(to: .inProgress),
            "canceled_by_transport": .moves(to: .canceled),
            "requeue_unsent": .moves(to: .queued),
            // retry_uncertain is off.
            "outcome_unknown": .moves(to: .failed),
        ],
    ]

    static func expected(_ status: JobStatus, _ event: JobEvent) -> Outcome? {
        if status.isTerminal { return .rejected(.terminal(status)) }
        return table[status]?[event.name]
    }

    /// The job each status is tested with: due when queued, a 1-page attempt 1 when in progress.
    static func job(in status: JobStatus) -> Job {
        switch status {
        case .queued: Fixture.job(status: .queued, attempts: 0, pagesTotal: 1)
        case .inProgress: Fixture.job(status: .inProgress, attempts: 1, pagesTotal: 1)
        case .delivered, .failed, .canceled: Fixture.job(status: status, attempts: 1, pagesTotal: 1, pagesSent: 1)
        }
    }

    @Test func tableCoversEveryEventKindOfEveryNonTerminalStatus() {
        let names = Set(JobEvent.allKinds.map(\.name))
        #expect(names.count == JobEvent.allKinds.count, "allKinds has one representative per kind")
        #expect(names.count == 10)
        for status in JobStatus.allCases where !status.isTerminal {
            #expect(Set((Self.table[status] ?? [:]).keys) == names, "\(status.rawValue)")
        }
        #expect(Set(Self.table.keys) == Set(JobStatus.allCases.filter { !$0.isTerminal }))
    }

    @Test(arguments: JobStatus.allCases, JobEvent.allKinds)
    func everyStatusAndEvent(status: JobStatus, event: JobEvent) throws {
        let expected = try #require(Self.expected(status, event))
        let job = Self.job(in: status)
        let result = JobStateMachine.apply(event, to: job, context: Fixture.context())
        switch result {
        case .success(let transition):
            #expect(Outcome.moves(to: transition.to) == expected)
            #expect(transition.from == status)
            #expect(transition.job.status == transition.to)
            #expect(transition.job.updatedAt == Fixture.now)
            #expect(transition.job.createdAt == Fixture.createdAt)
            #expect(transition.job.id == job.id)
            #expect(transition.job.to == job.to)
            #expect((transition.job.completedAt != nil) == transition.to.isTerminal)
        case .failure(let rejection):
            #expect(Outcome.rejected(rejection) == expected)
        }
    }

    @Test(arguments: JobStatus.allCases.filter(\.isTerminal), JobEvent.allKinds)
    func terminalStatusesAbsorbEventsEvenWithAttemptNumbers(status: JobStatus, event: JobEvent) {
        let job = Self.job(in: status)
        for attempt in [nil, 0, 1, 2] as [Int?] {
            let result = JobStateMachine.apply(event, to: job, attempt: attempt, context: Fixture.context())
            #expect(result == .failure(.terminal(status)))
        }
    }

    @Test(arguments: [JobStatus.delivered, .failed, .canceled])
    func terminalRejectionDescribesTheStatus(status: JobStatus) {
        let rejection = Fixture.reject(.claim, to: Self.job(in: status))
        #expect(rejection?.description == "ignored: job is already \(status.rawValue)")
    }
}
