import FaxTransports
import FaxbotCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct TestTransportJournalTests {
    private static let delivered = TransportFixture.request(TransportFixture.jobID("a"), attempt: 1, lastFour: "0000", pages: 2)
    private static let busy = TransportFixture.request(TransportFixture.jobID("b"), attempt: 1, lastFour: "1111")
    private static let lineError = TransportFixture.request(TransportFixture.jobID("c"), attempt: 2, lastFour: "3333")
    private static let silent = TransportFixture.request(TransportFixture.jobID("d"), attempt: 1, lastFour: "5555")
    private static let canceled = TransportFixture.request(TransportFixture.jobID("e"), attempt: 1, lastFour: "4444")

    /// Runs one call of every kind on a journaled transport, to its end (the silent one has none).
    private static func runEveryScenario(journalPath: String) async throws {
        let clock = ManualClock()
        let transport = TransportFixture.transport(clock: clock, journalPath: journalPath)
        var reports = transport.reports.makeAsyncIterator()

        _ = try await transport.submit(delivered)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(3, from: &reports)

        _ = try await transport.submit(busy)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)

        _ = try await transport.submit(lineError)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)

        _ = try await transport.submit(silent)

        _ = try await transport.submit(canceled)
        try await TransportFixture.advanceOneStep(clock)
        #expect(await TransportFixture.waitForSleepers(clock, count: 1))
        await transport.cancel(canceled.ref)
        _ = try await TransportFixture.next(1, from: &reports)
    }

    @Test func restartedTransportReconcilesFromTheJournal() async throws {
        let journal = try TransportFixture.Journal()
        defer { journal.remove() }
        try await Self.runEveryScenario(journalPath: journal.path)

        let restarted = TransportFixture.transport(clock: ManualClock(), journalPath: journal.path)

        #expect(await restarted.reconcile(Self.delivered.ref) == .finished(.completed(pagesSent: 2)))
        #expect(await restarted.reconcile(Self.canceled.ref) == .finished(.canceledByTransport))
        guard case .finished(.failed(.busy, _, let busyPages)) = await restarted.reconcile(Self.busy.ref) else {
            Issue.record("expected the busy result from the journal")
            return
        }
        #expect(busyPages == 0)
        guard case .finished(.failed(.lineError, _, let lineErrorPages)) = await restarted.reconcile(Self.lineError.ref) else {
            Issue.record("expected the line error result from the journal")
            return
        }
        #expect(lineErrorPages == 1)
        guard case .unknown(let reason) = await restarted.reconcile(Self.silent.ref) else {
            Issue.record("expected .unknown for an attempt submitted without a result")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func restartedTransportKnowsWhatWasNeverSubmitted() async throws {
        let journal = try TransportFixture.Journal()
        defer { journal.remove() }
        try await Self.runEveryScenario(journalPath: journal.path)

        let restarted = TransportFixture.transport(clock: ManualClock(), journalPath: journal.path)

        #expect(await restarted.reconcile(TransportFixture.ref(Self.delivered.jobID, attempt: 2)) == .notSubmitted)
        #expect(await restarted.reconcile(TransportFixture.ref(Self.lineError.jobID, attempt: 1)) == .notSubmitted)
        #expect(await restarted.reconcile(TransportFixture.ref(TransportFixture.jobID("f"))) == .notSubmitted)
    }

    @Test func aJournalThatDoesNotExistYetMeansNothingWasSubmitted() async throws {
        let journal = try TransportFixture.Journal()
        defer { journal.remove() }

        let transport = TransportFixture.transport(clock: ManualClock(), journalPath: journal.path)

        #expect(await transport.reconcile(TransportFixture.ref(TransportFixture.jobID("a"))) == .notSubmitted)
        #expect(await transport.transmissionCount(jobID: TransportFixture.jobID("a")) == 0)
        #expect(!FileManager.default.fileExists(atPath: journal.path))
    }

    @Test func transmissionCountsSurviveARestart() async throws {
        let journal = try TransportFixture.Journal()
        defer { journal.remove() }
        try await Self.runEveryScenario(journalPath: journal.path)
        let clock = ManualClock()
        let restarted = TransportFixture.transport(clock: clock, journalPath: journal.path)
        var reports = restarted.reports.makeAsyncIterator()

        for request in [Self.delivered, Self.busy, Self.lineError, Self.silent, Self.canceled] {
            #expect(await restarted.transmissionCount(jobID: request.jobID) == 1)
        }
        #expect(await restarted.transmissionCount(jobID: TransportFixture.jobID("f")) == 0)

        var retry = Self.busy
        retry.attempt = 2
        _ = try await restarted.submit(retry)
        #expect(await restarted.transmissionCount(jobID: retry.jobID) == 2)
        try await TransportFixture.advanceOneStep(clock)
        _ = try await TransportFixture.next(1, from: &reports)

        let again = TransportFixture.transport(clock: ManualClock(), journalPath: journal.path)
        #expect(await again.transmissionCount(jobID: retry.jobID) == 2)
        #expect(await again.reconcile(retry.ref) != .notSubmitted)
    }

    @Test func journalHoldsNoPhoneNumbers() async throws {
        let journal = try TransportFixture.Journal()
        defer { journal.remove() }
        try await Self.runEveryScenario(journalPath: journal.path)

        let text = try journal.text()

        #expect(!text.isEmpty)
        #expect(text.split(separator: "\n").count == 9)
        for request in [Self.delivered, Self.busy, Self.lineError, Self.silent, Self.canceled] {
            #expect(text.contains(request.jobID))
            #expect(!text.contains(String(request.to.digits)))
            #expect(!text.contains(request.to.lastFour))
            #expect(!text.contains(request.documentPath))
        }
        #expect(!text.contains("+1555867"))
    }

    @Test func journalIsReadableByItsOwnerOnly() async throws {
        let journal = try TransportFixture.Journal()
        defer { journal.remove() }
        let transport = TransportFixture.transport(clock: ManualClock(), journalPath: journal.path)

        _ = try await transport.submit(Self.silent)

        let attributes = try FileManager.default.attributesOfItem(atPath: journal.path)
        #expect(try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777 == 0o600)
    }
}
