import FaxbotCore
import Foundation
import FreeSWITCHESL
import Logging

extension FreeSWITCHTransport {
    func handle(_ event: ESLSessionEvent) async {
        switch event {
        case .connected:
            logger.info("FreeSWITCH ESL session up")
            if needsReconciliation {
                needsReconciliation = false
                await reconcileLiveCalls(reason: "the ESL session came back")
            }
        case .disconnected(let reason):
            logger.warning("FreeSWITCH ESL session lost", metadata: ["reason": "\(reason)", "calls": "\(calls.count)"])
            needsReconciliation = true
        case .overflow(let dropped):
            logger.error("FreeSWITCH events dropped", metadata: ["dropped": "\(dropped)"])
            await reconcileLiveCalls(reason: "events were dropped")
        case .event(let event):
            await handle(event)
        }
    }

    private func handle(_ event: ESLEvent) async {
        if let result = FreeSWITCHFaxResult(event: event) {
            finish(result)
            return
        }
        if let inbound = InboundCall(freeswitchEvent: event) {
            logger.info("fax received", metadata: ["pages": "\(inbound.pages ?? 0)", "succeeded": "\(inbound.succeeded)"])
            yieldInbound(inbound)
            return
        }
        switch (event.name, event.subclass) {
        case ("CUSTOM", "spandsp::txfaxpageresult"):
            guard let uuid = event.uniqueID, let call = calls[uuid], let pages = Int(event.headers["fax-document-transferred-pages"] ?? "") else {
                return
            }
            report(call.ref, .progress(pagesSent: pages))
        case ("BACKGROUND_JOB", _):
            backgroundJob(event)
        case ("CHANNEL_ANSWER", _):
            if let uuid = event.uniqueID, calls[uuid] != nil { calls[uuid]?.answered = true }
        case ("CHANNEL_HANGUP_COMPLETE", _):
            hangupComplete(event)
        default:
            return
        }
    }

    /// The fax result ends the call.
    func finish(_ result: FreeSWITCHFaxResult) {
        guard let call = calls[result.uuid] else { return }
        forget(result.uuid)
        report(call.ref, call.cancelRequested && !result.success ? .canceledByTransport : result.jobEvent(table: table))
    }

    /// `+OK <uuid>`: answered (the fax is still to come). `-ERR <CAUSE>`: the call never reached txfax.
    private func backgroundJob(_ event: ESLEvent) {
        guard let job = event.jobUUID, let call = calls.values.first(where: { $0.names.jobUUID == job }) else { return }
        let body = (event.body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let uuid = call.names.originationUUID
        if body.hasPrefix("+OK") {
            calls[uuid]?.answered = true
            return
        }
        forget(uuid)
        if call.cancelRequested {
            report(call.ref, .canceledByTransport)
            return
        }
        let cause = String(body.dropFirst(body.hasPrefix("-ERR") ? 4 : 0)).trimmingCharacters(in: .whitespaces)
        report(
            call.ref,
            .failed(table.cause(bgapiError: cause), detail: "the call was not answered (\(cause.isEmpty ? "no cause" : cause))", pagesSent: 0))
    }

    /// A hangup before the outcome: unanswered calls wait for `BACKGROUND_JOB`. For an answered
    /// call the txfaxresult may still be on its way (FreeSWITCH dispatches events on several
    /// threads), so it gets a short grace before the hangup decides.
    private func hangupComplete(_ event: ESLEvent) {
        guard let uuid = event.uniqueID, let call = calls[uuid] else { return }
        let cause = event.headers["Hangup-Cause"]
        guard call.answered else {
            calls[uuid]?.hangupCause = cause
            return
        }
        // txfax refused the file (FreeSWITCH cannot read it): a setup mistake, not the line's.
        let unreadable = event.headers["variable_current_application_response"]?.contains("fax file") == true
        Task { [clock] in
            try? await clock.sleep(for: 2)
            self.endWithoutResult(uuid, hangupCause: cause, unreadableFile: unreadable)
        }
    }

    func endWithoutResult(_ uuid: String, hangupCause cause: String?, unreadableFile: Bool) {
        guard let call = calls[uuid] else { return }
        forget(uuid)
        if call.cancelRequested {
            report(call.ref, .canceledByTransport)
        } else if unreadableFile {
            report(call.ref, .failed(.internalError, detail: "FreeSWITCH could not read the document (check freeswitch.outbound_dir)", pagesSent: 0))
        } else {
            let mapped = table.cause(hangupCause: cause)
            let event: JobEvent =
                mapped == .outcomeUnknown
                ? .outcomeUnknown(detail: "the call ended without a fax result (\(cause ?? "no hangup cause"))")
                : .failed(mapped, detail: "the call ended without a fax result (\(cause ?? "no hangup cause"))", pagesSent: 0)
            report(call.ref, event)
        }
    }

    /// After the session came back or events were lost: every call is looked up again.
    func reconcileLiveCalls(reason: String) async {
        guard !calls.isEmpty else { return }
        logger.notice("reconciling calls", metadata: ["reason": "\(reason)", "calls": "\(calls.count)"])
        for (uuid, call) in calls {
            do {
                let exists = try await connection.api("uuid_exists \(uuid)")
                guard exists.trimmingCharacters(in: .whitespacesAndNewlines) != "true" else { continue }
            } catch {
                needsReconciliation = true
                return
            }
            forget(uuid)
            report(
                call.ref,
                call.cancelRequested
                    ? .canceledByTransport
                    : .outcomeUnknown(
                        detail:
                            "the call ended while \(reason == "events were dropped" ? "events were dropped" : "the ESL session was down") and its result was not received"
                    ))
        }
    }

    func kill(_ uuid: String) async {
        do {
            _ = try await connection.api("uuid_kill \(uuid)")
        } catch {
            logger.warning("uuid_kill failed", metadata: ["error": "\(error)"])
        }
    }

    /// The call's own timer ran out without a result: still up → killed, `timeout`; gone → unknown.
    func callTimerFired(_ uuid: String) async {
        guard let call = calls[uuid] else { return }
        calls[uuid]?.timer = nil
        let limit = Int(settings.overallCallTimer)
        let exists = try? await connection.api("uuid_exists \(uuid)")
        forget(uuid)
        if exists?.trimmingCharacters(in: .whitespacesAndNewlines) == "true" {
            await kill(uuid)
            report(call.ref, .failed(.timeout, detail: "no result within \(limit) s; the call was hung up", pagesSent: nil))
        } else {
            report(call.ref, .outcomeUnknown(detail: "no result within \(limit) s and the call is gone"))
        }
    }

    func waitForSession() async {
        await FaxTransports.waitForSession(
            connected: { connection.state == .connected },
            rejected: { if case .authenticationFailed = connection.state { true } else { false } })
    }
}
