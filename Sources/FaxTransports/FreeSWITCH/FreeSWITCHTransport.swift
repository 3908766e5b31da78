import FaxbotCore
import Foundation
import FreeSWITCHESL
import Logging
import ServiceLifecycle
import Synchronization

/// Sends faxes through FreeSWITCH and mod_spandsp over one persistent Event Socket session
/// (`FAX_BACKEND=freeswitch`): one `bgapi originate … &txfax(…)` per attempt, the result from
/// `spandsp::txfaxresult`; received faxes from `spandsp::rxfaxresult`. A call whose result could
/// have been lost is looked up by its origination uuid; it is never originated again blindly.
public actor FreeSWITCHTransport: FaxTransport, InboundFaxSource, Service {
    public nonisolated let id = "freeswitch"
    public nonisolated let documentFormat = TransportDocumentFormat.faxTIFF
    public nonisolated let maxConcurrentCalls: Int
    public nonisolated let reports: AsyncStream<TransportReport>
    public nonisolated let inboundCalls: AsyncStream<InboundCall>
    nonisolated let settings: FreeSWITCHSettings
    nonisolated let connection: ESLConnection
    let table: FreeSWITCHCauseTable
    let clock: any WallClock
    let logger: Logger
    private let reportContinuation: AsyncStream<TransportReport>.Continuation
    private let inboundContinuation: AsyncStream<InboundCall>.Continuation
    /// Calls in flight, by origination uuid.
    var calls: [String: FreeSWITCHCall] = [:]
    var needsReconciliation = false
    /// Origination and job uuids of the calls in flight, for the reader-side filter.
    nonisolated let live = Mutex<Set<String>>([])

    public init(settings: FreeSWITCHSettings, connection: ESLConnection, table: FreeSWITCHCauseTable, clock: any WallClock, logger: Logger) {
        self.settings = settings
        self.connection = connection
        self.table = table
        self.clock = clock
        self.logger = logger
        self.maxConcurrentCalls = settings.routes.reduce(0) { $0 + max(1, $1.maxChannels) }
        (self.reports, self.reportContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (self.inboundCalls, self.inboundContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    public nonisolated func channelPool(for destination: PhoneNumber) -> ChannelPool {
        guard let route = settings.route(for: destination) else { return ChannelPool(name: "freeswitch:unroutable", limit: 1) }
        return ChannelPool(name: route.poolName(transport: id), limit: max(1, route.maxChannels))
    }

    /// Whether the ESL session is authenticated right now.
    public nonisolated var sessionConnected: Bool { connection.state == .connected }

    /// Calls are placed only while the ESL session is up; meanwhile jobs wait queued.
    public nonisolated var isAcceptingWork: Bool { sessionConnected }

    public func run() async throws {
        let events = connection.subscribe(filter: { [self] in isRelevant($0) })
        for await event in events.cancelOnGracefulShutdown() {
            await handle(event)
        }
        reportContinuation.finish()
        inboundContinuation.finish()
    }

    /// Events about the daemon's own calls, and faxes received through the shipped dialplan; a
    /// busy switch's other traffic is dropped on the reader without being buffered.
    nonisolated func isRelevant(_ event: ESLEvent) -> Bool {
        if event.name == "CUSTOM", event.subclass == "spandsp::rxfaxresult" { return event.headers["variable_faxbot_inbound"] == "true" }
        let key = event.name == "BACKGROUND_JOB" ? event.jobUUID : event.uniqueID
        guard let key else { return false }
        return live.withLock { $0.contains(key) }
    }

    public func submit(_ request: TransmissionRequest) async throws(TransportError) -> Submission {
        guard let route = settings.route(for: request.to) else {
            throw TransportError(cause: .invalidNumber, detail: "no FreeSWITCH route matches this number")
        }
        let names = FreeSWITCHCallNames(jobID: request.jobID, attempt: request.attempt)
        guard calls[names.originationUUID] == nil else { throw TransportError(cause: .internalError, detail: "attempt already submitted") }
        var handed = request
        if !settings.outboundDirectory.isEmpty {
            handed.documentPath = try DocumentHandOff.copy(request.documentPath, into: settings.outboundDirectory, as: names.originationUUID)
        }
        let command = FreeSWITCHOriginate.command(for: handed, channel: route.channel(for: request.to), settings: settings)
        track(FreeSWITCHCall(ref: AttemptRef(jobID: request.jobID, attempt: request.attempt, providerSid: names.originationUUID), names: names))
        do throws(ESLError) {
            _ = try await connection.bgapi(command, jobUUID: names.jobUUID)
        } catch {
            switch error {
            case .timeout, .connectionLost:
                startTimer(names.originationUUID)
                throw TransportError(cause: .transportUnavailable, detail: "no reply to the originate (\(error))", mayHaveBeenSent: true)
            case .notConnected(let reason):
                forget(names.originationUUID)
                throw TransportError(cause: .transportUnavailable, detail: "the FreeSWITCH ESL session is down: \(reason)")
            case .rejected(let message):
                forget(names.originationUUID)
                throw TransportError(cause: .transportUnavailable, detail: "FreeSWITCH refused the originate: \(message)")
            case .invalidCommand(let message):
                forget(names.originationUUID)
                throw TransportError(cause: .internalError, detail: "the originate could not be encoded: \(message)")
            case .shuttingDown:
                forget(names.originationUUID)
                throw TransportError(cause: .transportUnavailable, detail: "the FreeSWITCH session is shutting down")
            }
        }
        startTimer(names.originationUUID)
        logger.info("originate sent", metadata: ["job": "\(request.jobID)", "attempt": "\(request.attempt)", "to": "\(request.to.masked)"])
        return Submission(providerSid: names.originationUUID)
    }

    public func cancel(_ ref: AttemptRef) async {
        let uuid = FreeSWITCHCallNames(jobID: ref.jobID, attempt: ref.attempt).originationUUID
        guard calls[uuid] != nil else { return }
        calls[uuid]?.cancelRequested = true
        await kill(uuid)
    }

    public func reconcile(_ ref: AttemptRef) async -> Reconciliation {
        let names = FreeSWITCHCallNames(jobID: ref.jobID, attempt: ref.attempt)
        await waitForSession()
        do {
            let exists = try await connection.api("uuid_exists \(names.originationUUID)")
            if exists.trimmingCharacters(in: .whitespacesAndNewlines) == "true" {
                if calls[names.originationUUID] == nil {
                    // A call an earlier run placed: adopt it, so its result is mapped when it comes.
                    track(
                        FreeSWITCHCall(
                            ref: AttemptRef(jobID: ref.jobID, attempt: ref.attempt, providerSid: names.originationUUID), names: names, answered: true)
                    )
                    startTimer(names.originationUUID)
                }
                return .inProgress
            }
            forget(names.originationUUID)
            return .unknown("the call is no longer up in FreeSWITCH and its result was not received")
        } catch {
            return .unknown("FreeSWITCH could not be asked about the call: \(error)")
        }
    }

    public func checkHealth() async -> TransportHealthCheck {
        switch connection.state {
        case .connected: .healthy
        case .authenticationFailed(let reason): .unhealthy("FreeSWITCH ESL authentication rejected: \(reason)")
        case .disconnected(let reason): .unhealthy("FreeSWITCH ESL session down: \(reason)")
        case .connecting: .unhealthy("connecting to the FreeSWITCH event socket")
        case .stopped: .unhealthy("the FreeSWITCH ESL session is stopped")
        }
    }

    func report(_ ref: AttemptRef, _ event: JobEvent) {
        reportContinuation.yield(TransportReport(ref: ref, event: event))
    }

    func yieldInbound(_ call: InboundCall) {
        inboundContinuation.yield(call)
    }

    func track(_ call: FreeSWITCHCall) {
        calls[call.names.originationUUID] = call
        live.withLock { $0.formUnion([call.names.originationUUID, call.names.jobUUID]) }
    }

    func forget(_ uuid: String) {
        if let call = calls.removeValue(forKey: uuid) {
            call.timer?.cancel()
            live.withLock { $0.subtract([call.names.originationUUID, call.names.jobUUID]) }
        }
        if !settings.outboundDirectory.isEmpty { DocumentHandOff.remove(from: settings.outboundDirectory, name: uuid) }
    }

    func startTimer(_ uuid: String) {
        calls[uuid]?.timer?.cancel()
        let limit = settings.overallCallTimer
        calls[uuid]?.timer = Task { [clock] in
            guard (try? await clock.sleep(for: limit)) != nil else { return }
            await self.callTimerFired(uuid)
        }
    }
}
