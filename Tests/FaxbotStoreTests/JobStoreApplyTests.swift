import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@Suite struct JobStoreApplyTests {
    @Test(arguments: StoreKind.allCases)
    func claimRunsTheStateMachineAndUpdatesTheRow(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = try await StoreFixture.create(StoreFixture.job(1), in: store)
        let context = StoreFixture.context(StoreFixture.at(10))

        let result = try await store.apply(.claim, to: job.id, source: .dispatcher, context: context)

        let expected = try #require(try? JobStateMachine.apply(.claim, to: job, context: context).get())
        #expect(result == .applied(expected))
        let transition = try StoreFixture.applied(result)
        #expect(transition.from == .queued)
        #expect(transition.to == .inProgress)
        #expect(transition.job.attempts == 1)
        #expect(try await store.job(id: job.id) == transition.job)

        let events = try await store.events(jobID: job.id)
        #expect(events.count == 2)
        let claim = try #require(events.last)
        #expect(claim.seq == 2)
        #expect(claim.event == "claim")
        #expect(claim.from == .queued)
        #expect(claim.to == .inProgress)
        #expect(claim.source == .dispatcher)
        #expect(claim.at == StoreFixture.at(10))
        #expect(claim.detail == "attempt 1 of 3")
    }

    @Test(arguments: StoreKind.allCases)
    func fullLifecycleAppendsOneEventPerAppliedOrRejectedEvent(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let id = try await StoreFixture.create(StoreFixture.job(2, pagesTotal: 2), in: store).id
        var expectedEvents = 1

        func step(_ event: JobEvent, attempt: Int?, at seconds: Int, source: EventSource = .transport) async throws -> ApplyResult {
            let result = try await store.apply(
                event, to: id, attempt: attempt, source: source, context: StoreFixture.context(StoreFixture.at(seconds)))
            if case .applied(let transition) = result {
                #expect(try await store.job(id: id) == transition.job)
            }
            var notDue = false
            if case .rejected(_, .notDue) = result { notDue = true }
            if !notDue { expectedEvents += 1 }
            #expect(try await store.events(jobID: id).count == expectedEvents)
            return result
        }

        _ = try StoreFixture.applied(try await step(.claim, attempt: nil, at: 10, source: .dispatcher))
        _ = try StoreFixture.applied(try await step(.submitted(providerSid: "sid-1"), attempt: 1, at: 11))
        _ = try StoreFixture.applied(try await step(.progress(pagesSent: 1), attempt: 1, at: 12))
        let busy = try StoreFixture.applied(try await step(.failed(.busy, detail: "busy", pagesSent: 1), attempt: 1, at: 13))
        #expect(busy.to == .queued)
        #expect(busy.cause == .busy)
        #expect(busy.job.nextAttemptAt == StoreFixture.at(13 + 180))

        // Not due yet: rejected, but nothing is recorded.
        let early = try await step(.claim, attempt: nil, at: 14, source: .dispatcher)
        #expect(try StoreFixture.rejected(early).1 == .notDue)
        #expect(try await store.job(id: id) == busy.job)

        let second = try StoreFixture.applied(try await step(.claim, attempt: nil, at: 193, source: .dispatcher))
        #expect(second.job.attempts == 2)
        let delivered = try StoreFixture.applied(try await step(.completed(pagesSent: 2), attempt: 2, at: 200))
        #expect(delivered.to == .delivered)
        #expect(delivered.job.completedAt == StoreFixture.at(200))

        let events = try await store.events(jobID: id)
        #expect(events.map(\.seq) == Array(1...7))
        #expect(events.map(\.event) == ["accepted", "claim", "submitted", "progress", "failed", "claim", "completed"])
        #expect(events.map(\.to) == [.queued, .inProgress, .inProgress, .inProgress, .queued, .inProgress, .delivered])
        #expect(events.map(\.from) == [nil, .queued, .inProgress, .inProgress, .inProgress, .queued, .inProgress])
        #expect(events[4].cause == .busy)
        #expect(events[4].detail == "busy")
        #expect(events.map(\.source) == [.api, .dispatcher, .transport, .transport, .transport, .dispatcher, .transport])
        #expect(try await store.job(id: id) == delivered.job)
    }

    @Test(arguments: StoreKind.allCases)
    func terminalJobAbsorbsLateEventsButRecordsThem(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let id = try await StoreFixture.create(StoreFixture.job(3, pagesTotal: 1), in: store).id
        _ = try StoreFixture.applied(try await store.apply(.claim, to: id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(1))))
        let delivered = try StoreFixture.applied(
            try await store.apply(.completed(pagesSent: 1), to: id, attempt: 1, source: .transport, context: StoreFixture.context(StoreFixture.at(2)))
        )

        let late = try await store.apply(
            .failed(.lineError, detail: "late", pagesSent: 0), to: id, attempt: 1, source: .webhook,
            context: StoreFixture.context(StoreFixture.at(3))
        )
        let cancel = try await store.apply(.cancelRequested, to: id, source: .api, context: StoreFixture.context(StoreFixture.at(4)))

        #expect(late == .rejected(delivered.job, .terminal(.delivered)))
        #expect(cancel == .rejected(delivered.job, .terminal(.delivered)))
        #expect(try await store.job(id: id) == delivered.job)
        let events = try await store.events(jobID: id)
        #expect(events.map(\.seq) == [1, 2, 3, 4, 5])
        for record in events.suffix(2) {
            #expect(record.from == .delivered)
            #expect(record.to == .delivered)
            #expect(record.cause == nil)
            #expect(record.detail?.hasPrefix("ignored") == true)
        }
        #expect(events[3].event == "failed")
        #expect(events[3].source == .webhook)
        #expect(events[3].at == StoreFixture.at(3))
        #expect(events[4].event == "cancel_requested")
        #expect(events[4].source == .api)
    }

    @Test(arguments: StoreKind.allCases)
    func staleAttemptReportIsRejectedAndRecorded(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let id = try await StoreFixture.create(StoreFixture.job(4), in: store).id
        _ = try StoreFixture.applied(try await store.apply(.claim, to: id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(1))))
        _ = try StoreFixture.applied(
            try await store.apply(
                .failed(.noAnswer, detail: nil, pagesSent: 0), to: id, attempt: 1, source: .transport,
                context: StoreFixture.context(StoreFixture.at(2))
            )
        )
        let second = try StoreFixture.applied(
            try await store.apply(.claim, to: id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(2 + 300)))
        )

        let stale = try await store.apply(
            .completed(pagesSent: 2), to: id, attempt: 1, source: .transport, context: StoreFixture.context(StoreFixture.at(303))
        )

        #expect(stale == .rejected(second.job, .staleAttempt(reported: 1, current: 2)))
        #expect(try await store.job(id: id) == second.job)
        let last = try #require(try await store.events(jobID: id).last)
        #expect(last.seq == 5)
        #expect(last.event == "completed")
        #expect(last.from == .inProgress)
        #expect(last.to == .inProgress)
        #expect(last.detail == "ignored: report for attempt 1, current attempt is 2")
    }

    @Test(arguments: StoreKind.allCases)
    func inapplicableEventIsRecordedAsIgnored(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = try await StoreFixture.create(StoreFixture.job(5), in: store)

        let result = try await store.apply(.progress(pagesSent: 1), to: job.id, source: .transport, context: StoreFixture.context(StoreFixture.at(1)))

        #expect(result == .rejected(job, .notApplicable(.queued, event: "progress")))
        #expect(try await store.job(id: job.id) == job)
        let last = try #require(try await store.events(jobID: job.id).last)
        #expect(last.seq == 2)
        #expect(last.from == .queued)
        #expect(last.to == .queued)
        #expect(last.detail?.hasPrefix("ignored") == true)
    }

    @Test(arguments: StoreKind.allCases)
    func cancelOfAQueuedJobIsTerminalAtOnce(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let job = try await StoreFixture.create(StoreFixture.job(6), in: store)

        let transition = try StoreFixture.applied(
            try await store.apply(.cancelRequested, to: job.id, source: .api, context: StoreFixture.context(StoreFixture.at(7)))
        )

        #expect(transition.to == .canceled)
        let stored = try #require(try await store.job(id: job.id))
        #expect(stored.status == .canceled)
        #expect(stored.cancelRequested)
        #expect(stored.failureCause == .canceled)
        #expect(stored.completedAt == StoreFixture.at(7))
        #expect(stored.updatedAt == StoreFixture.at(7))
        #expect(try await store.events(jobID: job.id).last?.cause == .canceled)
    }

    @Test(arguments: StoreKind.allCases)
    func eventForAnUnknownJobIsNotFound(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)

        let result = try await store.apply(.claim, to: StoreFixture.jobID(77), source: .dispatcher, context: StoreFixture.context(StoreFixture.at(1)))

        #expect(result == .notFound)
        #expect(try await store.events(jobID: StoreFixture.jobID(77)).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentEventsOnOneJobKeepSeqsContiguous(kind: StoreKind) async throws {
        let store = try ScratchJobStore(kind)
        let id = try await StoreFixture.create(StoreFixture.job(8, pagesTotal: 50), in: store).id
        _ = try StoreFixture.applied(try await store.apply(.claim, to: id, source: .dispatcher, context: StoreFixture.context(StoreFixture.at(1))))

        try await withThrowingTaskGroup(of: Void.self) { group in
            for page in 1...40 {
                group.addTask {
                    _ = try await store.apply(
                        .progress(pagesSent: page), to: id, attempt: 1, source: .transport, context: StoreFixture.context(StoreFixture.at(2))
                    )
                }
            }
            try await group.waitForAll()
        }

        let events = try await store.events(jobID: id)
        #expect(events.map(\.seq) == Array(1...42))
        #expect(try await store.job(id: id)?.pagesSent == 40)
    }
}
