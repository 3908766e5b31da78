import Foundation
import Testing

@testable import FaxbotCore

/// Shared values for the state machine tests: fixed, millisecond-aligned dates and job builders.
enum Fixture {
    static let createdAt = Date(timeIntervalSince1970: 1_800_000_000)
    static let now = createdAt.addingTimeInterval(600)
    static let number = makeNumber("+15551234567")

    static func makeNumber(_ text: String) -> PhoneNumber {
        do {
            return try PhoneNumber(parsing: text)
        } catch {
            fatalError("fixture number \(text) did not parse: \(error.reason)")
        }
    }

    static func job(
        status: JobStatus = .queued,
        attempts: Int = 0,
        maxAttempts: Int = 3,
        pagesTotal: Int? = 3,
        pagesSent: Int = 0,
        providerSid: String? = nil,
        cancelRequested: Bool = false,
        nextAttemptAt: Date? = nil
    ) -> Job {
        Job(
            id: "0123456789abcdef0123456789abcdef",
            to: number,
            status: status,
            pagesTotal: pagesTotal,
            pagesSent: pagesSent,
            attempts: attempts,
            maxAttempts: maxAttempts,
            backend: "test",
            providerSid: providerSid,
            cancelRequested: cancelRequested,
            nextAttemptAt: nextAttemptAt,
            createdAt: createdAt
        )
    }

    /// A job whose attempt number `attempts` is in flight.
    static func inFlight(
        attempts: Int = 1,
        pagesTotal: Int? = 3,
        pagesSent: Int = 0,
        providerSid: String? = nil,
        cancelRequested: Bool = false
    ) -> Job {
        job(
            status: .inProgress,
            attempts: attempts,
            pagesTotal: pagesTotal,
            pagesSent: pagesSent,
            providerSid: providerSid,
            cancelRequested: cancelRequested
        )
    }

    static func context(
        now: Date = now,
        policy: RetryPolicy = .default,
        retryUncertain: Bool = false,
        jitter: Double = 0.5
    ) -> TransitionContext {
        TransitionContext(now: now, policy: policy, retryUncertain: retryUncertain, jitter: jitter)
    }

    /// Applies `event` and returns the transition, failing the test if the event was rejected.
    static func accept(
        _ event: JobEvent,
        to job: Job,
        attempt: Int? = nil,
        context: TransitionContext = context(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Transition {
        let result = JobStateMachine.apply(event, to: job, attempt: attempt, context: context)
        switch result {
        case .success(let transition):
            return transition
        case .failure(let rejection):
            Issue.record("unexpected rejection: \(rejection.description)", sourceLocation: sourceLocation)
            throw rejection
        }
    }

    /// Applies `event` and returns the rejection, or nil (with a recorded issue) if it was accepted.
    static func reject(
        _ event: JobEvent,
        to job: Job,
        attempt: Int? = nil,
        context: TransitionContext = context(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Rejection? {
        switch JobStateMachine.apply(event, to: job, attempt: attempt, context: context) {
        case .success(let transition):
            Issue.record("unexpected transition to \(transition.to.rawValue)", sourceLocation: sourceLocation)
            return nil
        case .failure(let rejection):
            return rejection
        }
    }
}
