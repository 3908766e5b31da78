import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging

extension Dispatcher {
    /// One attempt: claim, submit, wait for the result or the call timeout.
    func runAttempt(_ queued: Job, on transport: any FaxTransport) async {
        defer {
            inFlight.release(queued, transport: transport.channelPool(for: queued.to).name)
            // A channel and a destination just came free.
            wake()
        }
        guard case .applied(let claim)? = try? await store.apply(.claim, to: queued.id, source: .dispatcher, context: context()) else {
            return
        }
        let job = claim.job
        let attempt = job.attempts
        var ref = AttemptRef(jobID: job.id, attempt: attempt)
        inFlight.setRef(ref)
        guard let document = try? await store.document(jobID: job.id) else {
            await report(ref, .failed(.internalError, detail: "the job's document is missing", pagesSent: 0), source: .dispatcher)
            return
        }
        guard let prepared = await prepare(job, document, ref: ref, for: transport) else { return }
        let request = TransmissionRequest(
            jobID: job.id, attempt: attempt, to: job.to, documentPath: prepared.path, documentKind: prepared.kind,
            pagesTotal: prepared.pages, header: job.header, from: job.from, resolution: job.resolution
        )
        logger.info(
            "attempt started", metadata: ["job": "\(job.id)", "to": "\(job.to.masked)", "attempt": "\(attempt)", "transport": "\(transport.id)"])
        do {
            let started = ContinuousClock.now
            let submission = try await transport.submit(request)
            metrics.providerResponse(provider: transport.id, duration: ContinuousClock.now - started)
            monitor.recordSuccess(transport.id)
            ref.providerSid = submission.providerSid
            inFlight.setRef(ref)
            await report(ref, .submitted(providerSid: submission.providerSid), source: .transport)
        } catch {
            if error.cause == .transportUnavailable || error.cause == .authError {
                monitor.recordFailure(transport.id, detail: error.detail)
            }
            if error.mayHaveBeenSent {
                await settleUncertain(ref, on: transport, reason: error.detail)
            } else {
                await report(ref, .failed(error.cause, detail: error.detail, pagesSent: 0), source: .transport)
            }
            return
        }
        await waitForResult(ref, on: transport)
    }

    /// Prepares the document for the transport and records its real page count; nil when the
    /// attempt ended here (document rejected, converter unavailable, or canceled meanwhile).
    func prepare(_ job: Job, _ document: StoredDocument, ref: AttemptRef, for transport: any FaxTransport) async
        -> (path: String, kind: DocumentKind, pages: Int)?
    {
        switch await preparer.prepare(job, document: document, for: transport.documentFormat) {
        case .ready(let path, let kind, nil):
            return (path, kind, job.pagesTotal ?? 1)
        case .ready(let path, let kind, let pages?):
            guard case .applied(let transition)? = await report(ref, .prepared(pages: pages), source: .dispatcher),
                !transition.job.cancelRequested
            else {
                await report(ref, .failed(.canceled, detail: "canceled while the document was being prepared", pagesSent: 0), source: .dispatcher)
                return nil
            }
            return (path, kind, pages)
        case .rejected(let reason):
            logger.notice("document rejected", metadata: ["job": "\(job.id)"])
            await report(ref, .failed(.documentRejected, detail: reason, pagesSent: 0), source: .dispatcher)
            return nil
        case .unavailable(let reason):
            logger.error("document converter unavailable", metadata: ["job": "\(job.id)", "error": "\(reason)"])
            await report(ref, .failed(.transportUnavailable, detail: "document converter unavailable: \(reason)", pagesSent: 0), source: .dispatcher)
            return nil
        }
    }

    /// Waits for the result of a submitted attempt, with the call timeout.
    func waitForResult(_ ref: AttemptRef, on transport: any FaxTransport) async {
        let timer = Task {
            try await clock.sleep(for: settings.callTimeout)
            inFlight.resolve(ref.jobID, with: .timedOut)
        }
        let outcome = await inFlight.wait(jobID: ref.jobID)
        timer.cancel()
        switch outcome {
        case .finished:
            return
        case .abandoned:
            logger.notice("attempt left in flight at shutdown", metadata: ["job": "\(ref.jobID)"])
        case .timedOut:
            await settleUncertain(ref, on: transport, reason: "no result within \(Int(settings.callTimeout)) s")
        }
    }

    /// An attempt whose result did not come: ask the transport, and never re-send blindly.
    func settleUncertain(_ ref: AttemptRef, on transport: any FaxTransport, reason: String) async {
        switch await transport.reconcile(ref) {
        case .finished(let event):
            await report(ref, event, source: .reconciler)
        case .inProgress:
            await report(ref, .failed(.timeout, detail: reason, pagesSent: nil), source: .dispatcher)
            await transport.cancel(ref)
        case .notSubmitted:
            await report(ref, .requeueUnsent(detail: "\(reason); the transport never received the attempt"), source: .reconciler)
        case .unknown(let detail):
            await report(ref, .outcomeUnknown(detail: "\(reason); \(detail)"), source: .reconciler)
        }
    }

    /// Applies one event about an attempt and releases its waiter when the job left `in_progress`.
    @discardableResult
    func report(_ ref: AttemptRef, _ event: JobEvent, source: EventSource) async -> ApplyResult? {
        let attempt = event.isAttemptReport ? ref.attempt : nil
        let result: ApplyResult
        do {
            result = try await store.apply(event, to: ref.jobID, attempt: attempt, source: source, context: context())
        } catch {
            logger.error("cannot record transport report", metadata: ["job": "\(ref.jobID)", "error": "\(error)"])
            return nil
        }
        switch result {
        case .applied(let transition):
            if transition.to != .inProgress {
                inFlight.resolve(ref.jobID, with: .finished)
                // Derived files go with the attempt; the upload stays for the job's record.
                if transition.to.isTerminal {
                    preparer.removeArtifacts(of: ref.jobID)
                    metrics.jobEnded(transition.job)
                }
                logger.info(
                    "job \(transition.to.rawValue)",
                    metadata: [
                        "job": "\(ref.jobID)", "attempt": "\(ref.attempt)", "cause": "\(transition.cause?.rawValue ?? "-")",
                        "pages_sent": "\(transition.job.pagesSent)",
                    ]
                )
            }
        case .rejected(let job, let rejection):
            if job.status != .inProgress || job.attempts != ref.attempt { inFlight.resolve(ref.jobID, with: .finished) }
            logger.debug("event ignored", metadata: ["job": "\(ref.jobID)", "reason": "\(rejection.description)"])
        case .notFound:
            logger.warning("report for unknown job", metadata: ["job": "\(ref.jobID)"])
        }
        return result
    }

    func consumeReports(of transport: any FaxTransport) async {
        for await report in transport.reports {
            await self.report(report.ref, report.event, source: .transport)
        }
    }

    /// Asks the transport to hang up the job's attempt in flight.
    func cancel(_ job: Job) async {
        guard let transport = transports[job.backend] else { return }
        let ref = inFlight.ref(jobID: job.id) ?? AttemptRef(jobID: job.id, attempt: job.attempts, providerSid: job.providerSid)
        await transport.cancel(ref)
    }

    /// At start: every job left `in_progress` by an earlier run is settled with its transport.
    /// Returns the attempts still running at the far end, for the dispatcher to keep watching.
    func reconcileInFlightJobs() async -> [(Job, any FaxTransport)] {
        guard let leftovers = try? await store.jobs(status: .inProgress), !leftovers.isEmpty else { return [] }
        var stillRunning: [(Job, any FaxTransport)] = []
        logger.notice("reconciling jobs left in flight", metadata: ["count": "\(leftovers.count)"])
        for job in leftovers {
            let ref = AttemptRef(jobID: job.id, attempt: job.attempts, providerSid: job.providerSid)
            guard let transport = transports[job.backend] else {
                await report(ref, .outcomeUnknown(detail: "transport '\(job.backend)' is not configured"), source: .reconciler)
                continue
            }
            switch await transport.reconcile(ref) {
            case .finished(let event):
                await report(ref, event, source: .reconciler)
            case .notSubmitted:
                await report(ref, .requeueUnsent(detail: "the attempt never reached the transport before the restart"), source: .reconciler)
            case .unknown(let detail):
                await report(ref, .outcomeUnknown(detail: detail), source: .reconciler)
            case .inProgress:
                // Still running at the far end: its result will arrive as a report.
                logger.info("attempt still in flight after restart", metadata: ["job": "\(job.id)"])
                stillRunning.append((job, transport))
            }
        }
        return stillRunning
    }

    /// Watches an attempt that an earlier run submitted, with the same call timeout.
    func watchAdopted(_ job: Job, on transport: any FaxTransport) async {
        var previous = job
        previous.attempts -= 1
        let pool = transport.channelPool(for: job.to).name
        guard inFlight.reserve(previous, transport: pool, limit: Int.max) else { return }
        defer { inFlight.release(job, transport: pool) }
        let ref = AttemptRef(jobID: job.id, attempt: job.attempts, providerSid: job.providerSid)
        inFlight.setRef(ref)
        await waitForResult(ref, on: transport)
    }
}
