import AsteriskAMI
import FaxbotCore
import Foundation
import Logging
import ServiceLifecycle

/// Sends faxes through Asterisk over one persistent AMI session (`FAX_BACKEND=sip`): one
/// Originate per attempt into the shipped `faxbot-tx` dialplan, the result from its
/// `UserEvent(FaxbotResult)`; received faxes from `UserEvent(FaxbotInbound)`. A call whose result
/// could have been lost (session down, events dropped, daemon restarted) is looked up by its
/// ChannelId, then in AstDB; it is never originated again blindly.
public actor AsteriskTransport: FaxTransport, InboundFaxSource, Service {
    public nonisolated let id = "sip"
    public nonisolated let documentFormat = TransportDocumentFormat.faxTIFF
    public nonisolated let maxConcurrentCalls: Int
    public nonisolated let reports: AsyncStream<TransportReport>
    public nonisolated let inboundCalls: AsyncStream<InboundCall>
    nonisolated let settings: AsteriskSettings
    nonisolated let connection: AMIConnection
    let table: AsteriskCauseTable
    let clock: any WallClock
    let logger: Logger
    private let reportContinuation: AsyncStream<TransportReport>.Continuation
    private let inboundContinuation: AsyncStream<InboundCall>.Continuation
    /// Calls in flight, by ChannelId.
    var calls: [String: AsteriskCall] = [:]
    /// The session dropped (or events were lost) since the calls were last checked.
    var needsReconciliation = false

    public init(settings: AsteriskSettings, connection: AMIConnection, table: AsteriskCauseTable, clock: any WallClock, logger: Logger) {
        self.settings = settings
        self.connection = connection
        self.table = table
        self.clock = clock
        self.logger = logger
        self.maxConcurrentCalls = settings.routes.reduce(0) { $0 + max(1, $1.maxChannels) }
        (self.reports, self.reportContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (self.inboundCalls, self.inboundContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Each route (trunk) has its own channel limit.
    public nonisolated func channelPool(for destination: PhoneNumber) -> ChannelPool {
        guard let route = settings.route(for: destination) else { return ChannelPool(name: "sip:unroutable", limit: 1) }
        return ChannelPool(name: route.poolName(transport: id), limit: max(1, route.maxChannels))
    }

    /// Whether the AMI session is logged in right now.
    public nonisolated var sessionConnected: Bool { connection.state == .connected }

    /// Calls are placed only while the AMI session is logged in; meanwhile jobs wait queued.
    public nonisolated var isAcceptingWork: Bool { sessionConnected }

    /// Consumes the session's events until graceful shutdown. Only events about the daemon's own
    /// calls pass the filter, so a busy PBX's traffic costs a parse and a comparison each.
    public func run() async throws {
        let events = connection.subscribe(filter: Self.isRelevant)
        for await event in events.cancelOnGracefulShutdown() {
            await handle(event)
        }
        reportContinuation.finish()
        inboundContinuation.finish()
    }

    static func isRelevant(_ message: AMIMessage) -> Bool {
        switch message.event {
        case "UserEvent":
            let name = message["UserEvent"]
            return name == "FaxbotResult" || name == "FaxbotInbound"
        case "OriginateResponse":
            return message.actionID.map(AsteriskCallNames.isOriginate(actionID:)) ?? false
        case "Hangup", "Newchannel":
            return message["Uniqueid"].map(AsteriskCallNames.isOutbound(uniqueID:)) ?? false
        default:
            return false
        }
    }

    public func submit(_ request: TransmissionRequest) async throws(TransportError) -> Submission {
        guard let route = settings.route(for: request.to) else {
            throw TransportError(cause: .invalidNumber, detail: "no Asterisk route matches this number")
        }
        let names = AsteriskCallNames(jobID: request.jobID, attempt: request.attempt)
        guard calls[names.channelID] == nil else { throw TransportError(cause: .internalError, detail: "attempt already submitted") }
        var handed = request
        if !settings.outboundDirectory.isEmpty {
            handed.documentPath = try DocumentHandOff.copy(request.documentPath, into: settings.outboundDirectory, as: names.channelID)
        }
        let action = AsteriskOriginate.action(for: handed, channel: route.channel(for: request.to), settings: settings)
        // Registered before the Originate leaves: its events may arrive before the reply.
        calls[names.channelID] = AsteriskCall(
            ref: AttemptRef(jobID: request.jobID, attempt: request.attempt, providerSid: names.channelID), names: names)
        do throws(AMIError) {
            let response = try await connection.send(action, actionID: names.actionID)
            guard response.isSuccess else {
                forget(names.channelID)
                throw AMIError.rejected(response.message["Message"] ?? "error")
            }
        } catch {
            switch error {
            case .timeout, .connectionLost:
                // The Originate may have reached Asterisk: the dispatcher reconciles, never re-sends.
                startTimer(names.channelID)
                throw TransportError(cause: .transportUnavailable, detail: "no reply to the Originate (\(error))", mayHaveBeenSent: true)
            case .notConnected(let reason):
                forget(names.channelID)
                throw TransportError(cause: .transportUnavailable, detail: "the Asterisk AMI session is down: \(reason)")
            case .rejected(let message):
                forget(names.channelID)
                throw TransportError(cause: .transportUnavailable, detail: "Asterisk refused the Originate: \(message)")
            case .invalidAction(let message):
                forget(names.channelID)
                throw TransportError(cause: .internalError, detail: "the Originate could not be encoded: \(message)")
            case .shuttingDown:
                forget(names.channelID)
                throw TransportError(cause: .transportUnavailable, detail: "the Asterisk session is shutting down")
            }
        }
        startTimer(names.channelID)
        logger.info("originate queued", metadata: ["job": "\(request.jobID)", "attempt": "\(request.attempt)", "to": "\(request.to.masked)"])
        return Submission(providerSid: names.channelID)
    }

    public func cancel(_ ref: AttemptRef) async {
        let names = AsteriskCallNames(jobID: ref.jobID, attempt: ref.attempt)
        guard calls[names.channelID] != nil else { return }
        calls[names.channelID]?.cancelRequested = true
        var name = calls[names.channelID]?.channelName
        if name == nil { name = try? await liveChannels()[names.channelID] }
        // Not dialling yet: the Hangup goes out when its Newchannel arrives.
        if let name { await hangUp(channel: name) }
    }

    public func reconcile(_ ref: AttemptRef) async -> Reconciliation {
        let names = AsteriskCallNames(jobID: ref.jobID, attempt: ref.attempt)
        await waitForSession()
        switch await lookUp(names.channelID) {
        case .up(let channelName):
            if calls[names.channelID] == nil {
                // A call an earlier run placed: adopt it, so its result is mapped when it comes.
                calls[names.channelID] = AsteriskCall(
                    ref: AttemptRef(jobID: ref.jobID, attempt: ref.attempt, providerSid: names.channelID), names: names, channelName: channelName,
                    answered: true)
                startTimer(names.channelID)
            }
            return .inProgress
        case .finished(let result):
            forget(names.channelID)
            return .finished(result.jobEvent(table: table))
        case .gone:
            forget(names.channelID)
            return .unknown("the call is no longer up in Asterisk and left no result")
        case .unreachable(let reason):
            return .unknown("Asterisk could not be asked about the call: \(reason)")
        }
    }

    public func checkHealth() async -> TransportHealthCheck {
        switch connection.state {
        case .connected: .healthy
        case .authenticationFailed(let reason): .unhealthy("Asterisk AMI login rejected: \(reason)")
        case .disconnected(let reason): .unhealthy("Asterisk AMI session down: \(reason)")
        case .connecting: .unhealthy("connecting to Asterisk AMI")
        case .stopped: .unhealthy("the Asterisk AMI session is stopped")
        }
    }

    func report(_ ref: AttemptRef, _ event: JobEvent) {
        reportContinuation.yield(TransportReport(ref: ref, event: event))
    }

    func yieldInbound(_ call: InboundCall) {
        inboundContinuation.yield(call)
    }

    func forget(_ channelID: String) {
        calls.removeValue(forKey: channelID)?.timer?.cancel()
        if !settings.outboundDirectory.isEmpty { DocumentHandOff.remove(from: settings.outboundDirectory, name: channelID) }
    }

    private func startTimer(_ channelID: String) {
        calls[channelID]?.timer?.cancel()
        let limit = settings.overallCallTimer
        calls[channelID]?.timer = Task { [clock] in
            guard (try? await clock.sleep(for: limit)) != nil else { return }
            await self.callTimerFired(channelID)
        }
    }
}
