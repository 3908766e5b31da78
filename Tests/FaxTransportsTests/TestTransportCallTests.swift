import FaxTransports
import FaxbotCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct TestTransportCallTests {
    @Test func identifiesItselfAsTest() {
        let transport = TestTransport(configuration: TestTransportConfiguration(maxConcurrentCalls: 7), clock: ManualClock())

        #expect(transport.id == "test")
        #expect(transport.maxConcurrentCalls == 7)
    }

    @Test func submissionCarriesAProviderReference() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        let request = TransportFixture.request(TransportFixture.jobID("a"), attempt: 2)

        var reports = transport.reports.makeAsyncIterator()

        let submission = try await transport.submit(request)
        await transport.cancel(request.ref)

        #expect(submission.providerSid == "test-\(request.jobID)-2")
        #expect(
            try await TransportFixture.next(1, from: &reports).map(\.ref) == [
                AttemptRef(jobID: request.jobID, attempt: 2, providerSid: submission.providerSid)
            ])
    }

    @Test(arguments: [1, 3, 5])
    func deliverReportsEachPageThenCompletion(pages: Int) async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("a"), lastFour: "0000", pages: pages)

        _ = try await transport.submit(request)
        #expect(await transport.reconcile(request.ref) == .inProgress)
        try await TransportFixture.advanceOneStep(clock)
        let received = try await TransportFixture.next(pages + 1, from: &reports)

        #expect(received.map(\.event) == (1...pages).map { JobEvent.progress(pagesSent: $0) } + [.completed(pagesSent: pages)])
        #expect(received.allSatisfy { $0.ref == request.ref })
        #expect(await transport.reconcile(request.ref) == .finished(.completed(pagesSent: pages)))
        #expect(clock.sleeperCount == 0)
    }

    @Test func nothingHappensBeforeTheStepDelayHasPassed() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("a"), pages: 1)

        _ = try await transport.submit(request)
        #expect(await TransportFixture.waitForSleepers(clock, count: 1))
        clock.advance(by: TransportFixture.stepDelay / 2)
        #expect(await TransportFixture.waitForSleepers(clock, count: 1))
        #expect(await transport.reconcile(request.ref) == .inProgress)
        clock.advance(by: TransportFixture.stepDelay / 2)

        #expect(try await TransportFixture.next(2, from: &reports).map(\.event) == [.progress(pagesSent: 1), .completed(pagesSent: 1)])
    }

    @Test(arguments: [("1111", FailureCause.busy), ("2222", .noAnswer)])
    func failingScenariosReportTheirCauseWithNoPagesSent(lastFour: String, cause: FailureCause) async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("b"), attempt: 3, lastFour: lastFour)

        _ = try await transport.submit(request)
        try await TransportFixture.advanceOneStep(clock)
        let report = try #require(try await TransportFixture.next(1, from: &reports).first)

        #expect(report.ref == request.ref)
        guard case .failed(let reported, let detail, let pagesSent) = report.event else {
            Issue.record("expected .failed, got \(report.event)")
            return
        }
        #expect(reported == cause)
        #expect(pagesSent == 0)
        #expect(detail?.contains(lastFour) == false)
        #expect(await transport.reconcile(request.ref) == .finished(report.event))
    }

    @Test func lineErrorReportsPageOneThenFailsWithOnePageSent() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("c"), lastFour: "3333", pages: 4)

        _ = try await transport.submit(request)
        try await TransportFixture.advanceOneStep(clock)
        let first = try await TransportFixture.next(1, from: &reports)
        #expect(first == [TransportReport(ref: request.ref, event: .progress(pagesSent: 1))])
        #expect(await transport.reconcile(request.ref) == .inProgress)

        try await TransportFixture.advanceOneStep(clock)
        let last = try #require(try await TransportFixture.next(1, from: &reports).first)

        #expect(last.ref == request.ref)
        guard case .failed(.lineError, _, let pagesSent) = last.event else {
            Issue.record("expected .failed(.lineError, …), got \(last.event)")
            return
        }
        #expect(pagesSent == 1)
        #expect(await transport.reconcile(request.ref) == .finished(last.event))
    }

    @Test func reportsOfConcurrentCallsCarryTheirOwnAttempt() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let deliver = TransportFixture.request(TransportFixture.jobID("a"), attempt: 1, lastFour: "0000", pages: 1)
        let busy = TransportFixture.request(TransportFixture.jobID("b"), attempt: 2, lastFour: "1111")

        _ = try await transport.submit(deliver)
        _ = try await transport.submit(busy)
        #expect(await TransportFixture.waitForSleepers(clock, count: 2))
        clock.advance(by: TransportFixture.stepDelay)
        let received = try await TransportFixture.next(3, from: &reports)

        #expect(received.filter { $0.ref == deliver.ref }.map(\.event) == [.progress(pagesSent: 1), .completed(pagesSent: 1)])
        let busyEvents = received.filter { $0.ref == busy.ref }.map(\.event)
        #expect(busyEvents.count == 1)
        #expect(busyEvents.allSatisfy { if case .failed(.busy, _, _) = $0 { true } else { false } })
    }

    @Test func transmissionCountCountsSubmitsPerJob() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let job = TransportFixture.jobID("a")
        let other = TransportFixture.jobID("b")
        #expect(await transport.transmissionCount(jobID: job) == 0)

        _ = try await transport.submit(TransportFixture.request(job, attempt: 1, lastFour: "1111"))
        #expect(await transport.transmissionCount(jobID: job) == 1)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)
        _ = try await transport.submit(TransportFixture.request(job, attempt: 2, lastFour: "1111"))
        _ = try await transport.submit(TransportFixture.request(other, attempt: 1, lastFour: "5555"))

        #expect(await transport.transmissionCount(jobID: job) == 2)
        #expect(await transport.transmissionCount(jobID: other) == 1)
        #expect(await transport.transmissionCount(jobID: TransportFixture.jobID("c")) == 0)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)
    }

    @Test(arguments: ["0000", "4444", "5555"])
    func sameAttemptSubmittedTwiceWhileOpenIsRefused(lastFour: String) async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        let request = TransportFixture.request(TransportFixture.jobID("d"), lastFour: lastFour)
        _ = try await transport.submit(request)

        let error = await #expect(throws: TransportError.self) { try await transport.submit(request) }

        #expect(error?.cause == .internalError)
        #expect(error?.mayHaveBeenSent == false)
        #expect(await transport.transmissionCount(jobID: request.jobID) == 1)
        await transport.cancel(request.ref)
    }

    @Test func sameAttemptSubmittedAgainAfterItFinishedIsRefused() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("e"), lastFour: "1111")
        _ = try await transport.submit(request)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)

        await #expect(throws: TransportError.self) { try await transport.submit(request) }

        var next = request
        next.attempt = 2
        #expect(try await transport.submit(next).providerSid == "test-\(request.jobID)-2")
        #expect(await transport.transmissionCount(jobID: request.jobID) == 2)
        try await TransportFixture.advanceOneStep(clock)
        #expect(try await TransportFixture.next(1, from: &reports).map(\.ref) == [next.ref])
    }
}
