import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import FaxbotServer

/// What happens at start to jobs a previous run left `in_progress`, and at graceful shutdown.
@Suite(.timeLimit(.minutes(1))) struct DispatcherRecoveryTests {
    private static func journal(_ lines: [String], in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = lines.map { $0 + "\n" }.joined()
        try text.write(toFile: (directory as NSString).appendingPathComponent("journal"), atomically: true, encoding: .utf8)
    }

    private static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString)").path
    }

    @Test func anAttemptThatNeverReachedTheTransportRunsAgainOnce() async throws {
        let fixture = try DispatcherFixture()
        let job = try await fixture.submit("+15551230000")
        try await fixture.leaveInFlight(job)
        try await withDispatcher(fixture) {
            try await fixture.eventually("in flight again") {
                await fixture.store.events(jobID: job.id).contains { $0.event == "requeue_unsent" && $0.source == .reconciler }
                    && fixture.clock.sleeperCount >= 2
            }
            fixture.clock.advance(by: 1)
            try await fixture.eventually("delivered") { await fixture.status(job) == .delivered }
            #expect(try await fixture.job(job).attempts == 1)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 1)
        }
    }

    @Test func anAttemptSubmittedWithoutAResultIsNeverSentAgain() async throws {
        let id = JobID.make()
        let directory = Self.directory()
        try Self.journal([#"{"job":"\#(id)","attempt":1,"event":"submitted"}"#], in: directory)
        let fixture = try DispatcherFixture(directory: directory)
        let job = try await fixture.submit("+15551230000", id: id)
        try await fixture.leaveInFlight(job)
        try await withDispatcher(fixture) {
            try await fixture.eventually("failed") { await fixture.status(job) == .failed }
            #expect(try await fixture.job(job).failureCause == .outcomeUnknown)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 1)
            #expect(await fixture.store.events(jobID: job.id).last?.source == .reconciler)
        }
    }

    @Test func aResultRecordedBeforeTheCrashIsApplied() async throws {
        let id = JobID.make()
        let directory = Self.directory()
        try Self.journal(
            [
                #"{"job":"\#(id)","attempt":1,"event":"submitted"}"#,
                #"{"job":"\#(id)","attempt":1,"event":"result","result":"completed","pages":2}"#,
            ], in: directory)
        let fixture = try DispatcherFixture(directory: directory)
        let job = try await fixture.submit("+15551230000", pages: 2, id: id)
        try await fixture.leaveInFlight(job)
        try await withDispatcher(fixture) {
            try await fixture.eventually("delivered") { await fixture.status(job) == .delivered }
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 1)
        }
    }

    @Test func gracefulShutdownStopsClaimingAndLeavesUnfinishedCallsToTheNextStart() async throws {
        let fixture = try DispatcherFixture(drainTimeout: 20)
        defer { fixture.removeFiles() }
        var logger = Logger(label: "group")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [fixture.dispatcher], logger: logger))
        let running = Task { try await group.run() }
        let ringing = try await fixture.submit("+15551234444")
        try await fixture.eventually("ringing") { await fixture.status(ringing) == .inProgress && fixture.clock.sleeperCount >= 3 }
        await group.triggerGracefulShutdown()
        try await fixture.eventually("stopping") { fixture.dispatcher.inFlight.isStopping }
        let late = try await fixture.submit("+15551230000")
        // Draining: ticker, ringing call, call timer and the drain timer wait on the clock.
        try await fixture.advance(by: 20, whenSleepers: 4)
        try await running.value
        #expect(await fixture.status(late) == .queued)
        #expect(await fixture.status(ringing) == .inProgress)

        let next = try fixture.restarted()
        let restarted = Task { try await next.dispatcher.run() }
        defer { restarted.cancel() }
        try await next.eventually("reconciled") { await next.status(ringing) == .failed }
        #expect(try await next.job(ringing).failureCause == .outcomeUnknown)
        #expect(await next.transport.transmissionCount(jobID: ringing.id) == 1)
        try await next.eventually("late job in flight") { await next.status(late) == .inProgress }
    }
}
