import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@testable import FaxbotServer

@Suite(.timeLimit(.minutes(1))) struct DispatcherTests {
    @Test func deliversAndRecordsEveryStep() async throws {
        let fixture = try DispatcherFixture()
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551230000", pages: 2)
            try await fixture.eventually("in flight") { await fixture.status(job) == .inProgress }
            // The ticker and the call sleep on the clock.
            try await fixture.advance(by: 1, whenSleepers: 2)
            try await fixture.eventually("delivered") { await fixture.status(job) == .delivered }
            let done = try await fixture.job(job)
            #expect(done.pagesSent == 2)
            #expect(done.attempts == 1)
            #expect(done.providerSid != nil)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 1)
            let events = await fixture.store.events(jobID: job.id).map(\.event)
            #expect(events == ["accepted", "claim", "submitted", "progress", "progress", "completed"])
        }
    }

    @Test func busyIsRetriedOnScheduleThenFails() async throws {
        let fixture = try DispatcherFixture()
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551231111")
            for attempt in 1...3 {
                try await fixture.eventually("attempt \(attempt) in flight") {
                    let current = try? await fixture.job(job)
                    return current?.status == .inProgress && current?.attempts == attempt
                }
                let failedAt = fixture.clock.now().addingTimeInterval(1)
                try await fixture.advance(by: 1, whenSleepers: 2)
                if attempt < 3 {
                    try await fixture.eventually("requeued") { await fixture.status(job) == .queued }
                    let queued = try await fixture.job(job)
                    #expect(queued.failureCause == .busy)
                    #expect(queued.nextAttemptAt == failedAt.addingTimeInterval(180))
                    // Not due before 180 s: a tick at +170 s claims nothing.
                    try await fixture.advance(by: 170, whenSleepers: 1)
                    try await fixture.eventually("tick re-armed") { fixture.clock.sleeperCount >= 1 }
                    #expect(await fixture.status(job) == .queued)
                    try await fixture.advance(by: 10, whenSleepers: 1)
                }
            }
            try await fixture.eventually("failed") { await fixture.status(job) == .failed }
            #expect(try await fixture.job(job).failureCause == .busy)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 3)
        }
    }

    @Test func oneCallPerDestinationAtATime() async throws {
        let fixture = try DispatcherFixture()
        try await withDispatcher(fixture) {
            let jobs = [try await fixture.submit("+15551234444"), try await fixture.submit("+15551234444")]
            try await fixture.eventually("one in flight") {
                var statuses: [JobStatus?] = []
                for job in jobs { statuses.append(await fixture.status(job)) }
                return statuses.contains(.inProgress)
            }
            fixture.dispatcher.wake()
            try await fixture.eventually("ringing") { fixture.clock.sleeperCount >= 2 }
            let first = await fixture.status(jobs[0]) == .inProgress ? jobs[0] : jobs[1]
            let second = first == jobs[0] ? jobs[1] : jobs[0]
            #expect(await fixture.status(second) == .queued)
            _ = try await fixture.store.apply(.cancelRequested, to: first.id, source: .api, context: TransitionContext(now: fixture.clock.now()))
            await fixture.dispatcher.cancel(try await fixture.job(first))
            try await fixture.eventually("first canceled") { await fixture.status(first) == .canceled }
            try await fixture.eventually("second in flight") { await fixture.status(second) == .inProgress }
        }
    }

    @Test func respectsTheTransportChannelLimit() async throws {
        let fixture = try DispatcherFixture(concurrency: 2)
        try await withDispatcher(fixture) {
            var jobs: [Job] = []
            for index in 0..<5 { jobs.append(try await fixture.submit("+1555\(index)004444")) }
            try await fixture.eventually("two in flight") {
                var count = 0
                for job in jobs where await fixture.status(job) == .inProgress { count += 1 }
                return count == 2
            }
            fixture.dispatcher.wake()
            try await fixture.eventually("calls ringing") { fixture.clock.sleeperCount >= 3 }
            var inFlight = 0
            for job in jobs where await fixture.status(job) == .inProgress { inFlight += 1 }
            #expect(inFlight == 2)
            #expect(fixture.dispatcher.activeAttempts == 2)
        }
    }

    @Test func aRingingCallTimesOutAndIsHungUp() async throws {
        let fixture = try DispatcherFixture(callTimeout: 30)
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551234444")
            try await fixture.eventually("in flight") { await fixture.status(job) == .inProgress }
            // Ticker, ringing call and the call timer.
            try await fixture.advance(by: 30, whenSleepers: 3)
            try await fixture.eventually("failed") { await fixture.status(job) == .failed }
            #expect(try await fixture.job(job).failureCause == .timeout)
            // The transport's confirmation of the hang-up arrives late and is only recorded.
            try await fixture.eventually("late report recorded") {
                await fixture.store.events(jobID: job.id).last?.event == "canceled_by_transport"
            }
            #expect(await fixture.status(job) == .failed)
        }
    }

    @Test func silenceEndsAsOutcomeUnknownWithoutASecondTransmission() async throws {
        let fixture = try DispatcherFixture(callTimeout: 30)
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551235555")
            try await fixture.eventually("in flight") { await fixture.status(job) == .inProgress }
            try await fixture.advance(by: 30, whenSleepers: 2)
            try await fixture.eventually("failed") { await fixture.status(job) == .failed }
            #expect(try await fixture.job(job).failureCause == .outcomeUnknown)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 1)
            #expect(await fixture.store.events(jobID: job.id).contains { $0.source == .reconciler })
        }
    }

    @Test func retryUncertainSendsAgainOnlyWhenTheOperatorOptedIn() async throws {
        let fixture = try DispatcherFixture(callTimeout: 30, retryUncertain: true)
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551235555")
            try await fixture.eventually("in flight") { await fixture.status(job) == .inProgress }
            try await fixture.advance(by: 30, whenSleepers: 2)
            try await fixture.eventually("second attempt") { (try? await fixture.job(job))?.attempts == 2 }
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 2)
        }
    }

    @Test func cancelInFlightHangsUp() async throws {
        let fixture = try DispatcherFixture()
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551234444")
            try await fixture.eventually("ringing") { await fixture.status(job) == .inProgress && fixture.clock.sleeperCount >= 3 }
            let result = try await fixture.store.apply(
                .cancelRequested, to: job.id, source: .api, context: TransitionContext(now: fixture.clock.now()))
            guard case .applied(let transition) = result else { throw DispatcherFixture.FixtureError.notCreated }
            #expect(transition.job.status == .inProgress)
            await fixture.dispatcher.cancel(transition.job)
            try await fixture.eventually("canceled") { await fixture.status(job) == .canceled }
        }
    }
}
