import AsteriskAMI
import FaxbotCore
import Foundation
import Logging

/// Where a call stands, as Asterisk tells it now.
enum AsteriskCallLookup: Sendable {
    case up(channelName: String)
    case finished(AsteriskFaxResult)
    /// Neither a live channel nor a stored result.
    case gone
    case unreachable(String)
}

extension AsteriskTransport {
    func handle(_ event: AMISessionEvent) async {
        switch event {
        case .connected:
            logger.info("Asterisk AMI session up")
            if needsReconciliation {
                needsReconciliation = false
                await reconcileLiveCalls(reason: "the AMI session came back")
            }
        case .disconnected(let reason):
            logger.warning("Asterisk AMI session lost", metadata: ["reason": "\(reason)", "calls": "\(calls.count)"])
            needsReconciliation = true
        case .overflow(let dropped):
            logger.error("Asterisk events dropped", metadata: ["dropped": "\(dropped)"])
            await reconcileLiveCalls(reason: "events were dropped")
        case .event(let message):
            await handle(message)
        }
    }

    private func handle(_ message: AMIMessage) async {
        if let result = AsteriskFaxResult(event: message) {
            finish(result)
            return
        }
        if let inbound = InboundCall(asteriskEvent: message) {
            logger.info("fax received", metadata: ["pages": "\(inbound.pages ?? 0)", "succeeded": "\(inbound.succeeded)"])
            yieldInbound(inbound)
            return
        }
        switch message.event {
        case "Newchannel":
            guard let id = message["Uniqueid"], calls[id] != nil, let name = message["Channel"] else { return }
            calls[id]?.channelName = name
            if calls[id]?.cancelRequested == true { await hangUp(channel: name) }
        case "OriginateResponse":
            await originateResponse(message)
        case "Hangup":
            await hangup(message)
        default:
            return
        }
    }

    /// The dialplan's result ends the call.
    func finish(_ result: AsteriskFaxResult) {
        let call = calls[result.channelID]
        forget(result.channelID)
        guard let ref = call?.ref ?? AsteriskCall.ref(channelID: result.channelID) else { return }
        let event: JobEvent =
            call?.cancelRequested == true && result.status != "SUCCESS" ? .canceledByTransport : result.jobEvent(table: table)
        report(ref, event)
        // The AstDB copy is only needed while the event could be lost.
        let connection = connection
        Task { _ = try? await connection.send(AMIAction("DBDel", [AMIField("Family", "faxbot"), AMIField("Key", result.channelID)])) }
    }

    private func originateResponse(_ message: AMIMessage) async {
        guard let actionID = message.actionID else { return }
        let channelID = "fbtx-" + actionID.dropFirst("fbo-".count)
        guard let call = calls[channelID] else { return }
        if message["Response"] == "Success" {
            calls[channelID]?.answered = true
            // Answered, yet its channel already hung up without a result (the response came late).
            if call.hangupCause != nil {
                await settleGone(
                    channelID, reason: "the call ended without a result from the dialplan (hangup cause \(call.hangupCause ?? "unknown"))")
            }
            return
        }
        forget(channelID)
        let reason = message["Reason"]
        if call.cancelRequested {
            report(call.ref, .canceledByTransport)
            return
        }
        let cause = table.cause(originateReason: reason, hangupCause: call.hangupCause)
        let detail = "the call was not answered (originate reason \(reason ?? "unknown"), hangup cause \(call.hangupCause ?? "unknown"))"
        report(call.ref, .failed(cause, detail: detail, pagesSent: 0))
    }

    /// A hangup before the answer waits for `OriginateResponse`; after the answer the dialplan
    /// reports before the channel goes, so a hangup with no result means the result is lost.
    private func hangup(_ message: AMIMessage) async {
        guard let id = message["Uniqueid"], let call = calls[id] else { return }
        guard call.answered else {
            calls[id]?.hangupCause = message["Cause"]
            return
        }
        await settleGone(id, reason: "the call ended without a result from the dialplan (hangup cause \(message["Cause"] ?? "unknown"))")
    }

    /// A call that is no longer up: its stored result, else an unknown outcome.
    private func settleGone(_ channelID: String, reason: String) async {
        guard let call = calls[channelID] else { return }
        switch await storedResult(channelID) {
        case .some(let result):
            finish(result)
        case .none:
            forget(channelID)
            report(call.ref, call.cancelRequested ? .canceledByTransport : .outcomeUnknown(detail: reason))
        }
    }

    /// After the session came back or events were lost: every call is looked up again.
    func reconcileLiveCalls(reason: String) async {
        guard !calls.isEmpty else { return }
        logger.notice("reconciling calls", metadata: ["reason": "\(reason)", "calls": "\(calls.count)"])
        let channels: [String: String]
        do {
            channels = try await liveChannels()
        } catch {
            needsReconciliation = true
            return
        }
        for (id, _) in calls {
            if let name = channels[id] {
                calls[id]?.channelName = name
                continue
            }
            await settleGone(
                id,
                reason:
                    "the call ended while \(reason == "events were dropped" ? "events were dropped" : "the AMI session was down") and left no result")
        }
    }

    /// Asks Asterisk about one call: live channel, else stored result.
    func lookUp(_ channelID: String) async -> AsteriskCallLookup {
        do {
            if let name = try await liveChannels()[channelID] { return .up(channelName: name) }
        } catch {
            return .unreachable("\(error)")
        }
        if let result = await storedResult(channelID) { return .finished(result) }
        return .gone
    }

    /// Uniqueid → channel name of every channel up now (`CoreShowChannels`).
    func liveChannels() async throws(AMIError) -> [String: String] {
        let response = try await connection.send(AMIAction("CoreShowChannels"))
        var channels: [String: String] = [:]
        for item in response.events where item.event == "CoreShowChannel" {
            if let id = item["Uniqueid"] ?? item["UniqueID"], let name = item["Channel"] { channels[id] = name }
        }
        return channels
    }

    /// The result the dialplan stored in AstDB, if any.
    func storedResult(_ channelID: String) async -> AsteriskFaxResult? {
        guard
            let response = try? await connection.send(AMIAction("DBGet", [AMIField("Family", "faxbot"), AMIField("Key", channelID)])),
            let value = response.events.first(where: { $0.event == "DBGetResponse" })?["Val"]
        else { return nil }
        return AsteriskFaxResult(channelID: channelID, database: value)
    }

    func hangUp(channel name: String) async {
        do {
            _ = try await connection.send(AMIAction("Hangup", [AMIField("Channel", name), AMIField("Cause", "16")]))
        } catch {
            logger.warning("hangup failed", metadata: ["error": "\(error)"])
        }
    }

    /// The call's own timer ran out without a result: still up → hang up, `timeout`; ended →
    /// its stored result, else an unknown outcome.
    func callTimerFired(_ channelID: String) async {
        guard let call = calls[channelID] else { return }
        // This runs on the timer's own task: forgetting the call must not cancel it mid-way.
        calls[channelID]?.timer = nil
        let limit = Int(settings.overallCallTimer)
        switch await lookUp(channelID) {
        case .up(let name):
            forget(channelID)
            await hangUp(channel: name)
            report(call.ref, .failed(.timeout, detail: "no result within \(limit) s; the call was hung up", pagesSent: nil))
        case .finished(let result):
            finish(result)
        case .gone:
            forget(channelID)
            report(call.ref, .outcomeUnknown(detail: "no result within \(limit) s and the call is gone"))
        case .unreachable(let reason):
            forget(channelID)
            report(call.ref, .outcomeUnknown(detail: "no result within \(limit) s and Asterisk cannot be asked: \(reason)"))
        }
    }

    func waitForSession() async {
        await FaxTransports.waitForSession(
            connected: { connection.state == .connected },
            rejected: { if case .authenticationFailed = connection.state { true } else { false } })
    }
}
