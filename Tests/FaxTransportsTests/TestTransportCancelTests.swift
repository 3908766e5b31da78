import FaxTransports
import FaxbotCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct TestTransportCancelTests {
    @Test func ringForeverReportsNothingUntilCanceled() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("a"), lastFour: "4444")

        _ = try await transport.submit(request)
        try await TransportFixture.advanceOneStep(clock)
        for _ in 0..<3 {
            #expect(await TransportFixture.waitForSleepers(clock, count: 1))
            clock.advance(by: 3_600)
        }
        #expect(await TransportFixture.waitForSleepers(clock, count: 1))
        #expect(await transport.reconcile(request.ref) == .inProgress)

        await transport.cancel(request.ref)
        let received = try await TransportFixture.next(1, from: &reports)

        // The stream is ordered: had the call reported anything before, it would come first.
        #expect(received == [TransportReport(ref: request.ref, event: .canceledByTransport)])
        #expect(await transport.reconcile(request.ref) == .finished(.canceledByTransport))
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancelDuringTheFirstStepHangsUp() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("b"), lastFour: "0000")

        _ = try await transport.submit(request)
        #expect(await TransportFixture.waitForSleepers(clock, count: 1))
        await transport.cancel(request.ref)

        #expect(try await TransportFixture.next(1, from: &reports) == [TransportReport(ref: request.ref, event: .canceledByTransport)])
        #expect(await transport.reconcile(request.ref) == .finished(.canceledByTransport))
    }

    @Test func cancelFindsTheCallWithoutTheProviderReference() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("c"), lastFour: "4444")

        _ = try await transport.submit(request)
        #expect(await transport.reconcile(AttemptRef(jobID: request.jobID, attempt: 1)) == .inProgress)
        await transport.cancel(AttemptRef(jobID: request.jobID, attempt: 1))

        #expect(try await TransportFixture.next(1, from: &reports).map(\.event) == [.canceledByTransport])
    }

    @Test func cancelOfAnotherAttemptLeavesTheCallRunning() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let request = TransportFixture.request(TransportFixture.jobID("d"), attempt: 2, lastFour: "0000", pages: 1)

        _ = try await transport.submit(request)
        await transport.cancel(TransportFixture.ref(request.jobID, attempt: 1))
        await transport.cancel(TransportFixture.ref(TransportFixture.jobID("e"), attempt: 2))
        try await TransportFixture.advanceOneStep(clock)

        #expect(try await TransportFixture.next(2, from: &reports).map(\.event) == [.progress(pagesSent: 1), .completed(pagesSent: 1)])
    }

    @Test func cancelAfterTheCallEndedChangesNothing() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let first = TransportFixture.request(TransportFixture.jobID("f"), lastFour: "2222")
        let second = TransportFixture.request(TransportFixture.jobID("a"), lastFour: "1111")

        _ = try await transport.submit(first)
        try await TransportFixture.advanceOneStep(clock)
        let result = try #require(try await TransportFixture.next(1, from: &reports).first)
        await transport.cancel(first.ref)
        _ = try await transport.submit(second)
        try await TransportFixture.advanceOneStep(clock)

        #expect(try await TransportFixture.next(1, from: &reports).map(\.ref) == [second.ref])
        #expect(await transport.reconcile(first.ref) == .finished(result.event))
    }

    @Test func silenceNeverReportsAndCannotBeReconciled() async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock)
        var reports = transport.reports.makeAsyncIterator()
        let silent = TransportFixture.request(TransportFixture.jobID("a"), lastFour: "5555")
        let marker = TransportFixture.request(TransportFixture.jobID("b"), lastFour: "0000", pages: 1)

        let submission = try await transport.submit(silent)
        #expect(submission.providerSid == silent.ref.providerSid)
        for _ in 0..<1_000 { await Task.yield() }
        #expect(clock.sleeperCount == 0)
        clock.advance(by: 86_400)
        await transport.cancel(silent.ref)

        // A later call's reports come first: the silent one put nothing on the stream.
        _ = try await transport.submit(marker)
        try await TransportFixture.advanceOneStep(clock)
        let received = try await TransportFixture.next(2, from: &reports)

        #expect(received.map(\.ref) == [marker.ref, marker.ref])
        guard case .unknown(let reason) = await transport.reconcile(silent.ref) else {
            Issue.record("expected .unknown for a silent attempt")
            return
        }
        #expect(!reason.isEmpty)
        #expect(await transport.transmissionCount(jobID: silent.jobID) == 1)
    }

    @Test func withoutAJournalAnAttemptNeverSeenIsUnknown() async {
        let transport = TransportFixture.transport(clock: ManualClock())

        let reconciliation = await transport.reconcile(TransportFixture.ref(TransportFixture.jobID("a")))

        guard case .unknown = reconciliation else {
            Issue.record("expected .unknown without a journal, got \(reconciliation)")
            return
        }
    }
}
