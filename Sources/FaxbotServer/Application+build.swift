import FaxImaging
import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The daemon, assembled: the HTTP application plus the parts tests and tools look at.
public struct Faxbot: Sendable {
    public let application: Application<RouterResponder<BasicRequestContext>>
    public let store: any JobStore
    public let keys: any KeyStore
    public let dispatcher: Dispatcher
    /// Received faxes: the one way any report of one becomes a record.
    public let inbound: InboundIngestor
    public let inboundStore: any InboundStore
    public let inboundRetention: InboundRetention
    /// The persistent PBX sessions (AMI), for tests and tools.
    public let sessions: TelephonySessions
}

/// Why the daemon refuses to start.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The one composition root: configuration in, a runnable daemon out.
public func buildApplication(
    config: FaxbotConfig,
    clock: any WallClock = SystemClock(),
    jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
    logger: Logger
) async throws -> Faxbot {
    let storage = try Storage.open(config)
    let store = SQLiteJobStore(database: storage.database)
    storage.spool.removeAbandonedUploads()
    await storage.spool.removeOrphanDocuments(store: store, logger: logger)
    let keys = SQLiteKeyStore(database: storage.database)
    let activeKeys = try await keys.activeKeyCount()
    let everStoredKeys = try await keys.keyCount()
    if !config.listensOnLoopbackOnly, config.apiKey == nil, activeKeys == 0 {
        throw StartupError(
            description: "refusing to listen on \(config.listenHost): no API key exists. Set API_KEY or run `faxbot keys create` first."
        )
    }
    let pepper = try config.sessionPepper ?? Storage.localPepper(dataDir: config.dataDir, logger: logger)
    let codec = APIKeyCodec(pepper: pepper)

    let testTransport = TestTransport(
        configuration: TestTransportConfiguration(
            stepDelay: config.testTransport.stepDelay,
            maxConcurrentCalls: config.testTransport.maxConcurrentCalls,
            journalPath: config.testJournalPath,
            documentFormat: config.testTransport.documentFormat
        ),
        clock: clock,
        logger: Logger(label: "faxbot.transport.test")
    )
    let metrics = FaxbotMetrics()
    var transports: [any FaxTransport] = [testTransport]
    var sessionServices: [any Service] = []
    var asterisk: AsteriskTransport?
    if config.usesAsterisk {
        let (connection, transport) = try makeAsteriskTransport(config, clock: clock, jitter: jitter)
        transports.append(transport)
        sessionServices += [connection, transport]
        asterisk = transport
    }
    var freeswitch: FreeSWITCHTransport?
    if config.usesFreeSWITCH {
        let (connection, transport) = try makeFreeSWITCHTransport(config, clock: clock, jitter: jitter)
        transports.append(transport)
        sessionServices += [connection, transport]
        freeswitch = transport
    }
    let monitor = ProviderHealthMonitor(transports: transports.map(\.id), clock: clock)
    let converterExecutable = config.documents.converterExecutable ?? IsolatedConverter.currentExecutable
    let dispatcher = Dispatcher(
        store: store,
        transports: transports,
        spool: storage.spool,
        preparer: DocumentPreparer(
            spool: storage.spool,
            converter: IsolatedConverter(executable: converterExecutable, limits: config.documents.limits),
            paper: config.documents.paper, fontPath: config.documents.textFont
        ),
        monitor: monitor,
        metrics: metrics,
        clock: clock,
        settings: DispatcherSettings(
            policy: config.retryPolicy, retryUncertain: config.retryUncertain, pollInterval: config.pollInterval,
            callTimeout: config.callTimeout, drainTimeout: config.drainTimeout, jitter: jitter
        ),
        logger: Logger(label: "faxbot.dispatcher")
    )
    let jobs = JobService(
        store: store, spool: storage.spool, dispatcher: dispatcher, clock: clock, backend: config.backend,
        policy: config.retryPolicy, retryUncertain: config.retryUncertain, logger: Logger(label: "faxbot.jobs"), metrics: metrics
    )
    let auth = Authenticator(
        bootstrapKey: config.apiKey, requireKey: config.requireAPIKey, exposed: !config.listensOnLoopbackOnly, keys: keys, codec: codec, clock: clock,
        logger: Logger(label: "faxbot.auth"), metrics: metrics
    )
    let traits = try loadTraits(config, logger: logger)
    let limiter = config.rateLimitPerSecond.map { RateLimiter(rate: $0, clock: clock) }
    let inbound = try await InboundParts.build(
        config: config, storage: storage, transports: transports, auth: auth, pepper: pepper, clock: clock, metrics: metrics)
    let readiness = Readiness(
        store: store, spool: storage.spool, converterExecutable: converterExecutable, monitor: monitor, transports: transports)
    let sessions = TelephonySessions(asterisk: asterisk, freeswitch: freeswitch)
    let router = buildRouter(
        jobs: jobs, auth: auth, limiter: limiter, health: HealthController(readiness: readiness, monitor: monitor), metrics: metrics,
        monitor: monitor, sessions: sessions, config: config)
    AdminController(auth: auth, traits: traits, configured: Set(transports.map(\.id))).addRoutes(to: router)
    inbound.addRoutes(to: router)
    if let contract = OpenAPIController<BasicRequestContext>.load(
        paths: config.openAPIFile.map { [$0] } ?? OpenAPIController<BasicRequestContext>.searchPaths)
    {
        contract.addRoutes(to: router)
    } else {
        logger.notice("no OpenAPI document found; /openapi.yaml and /openapi.json answer 404")
    }
    let notifier = SystemdNotifier()
    var application = Application(
        router: router,
        configuration: .init(address: .hostname(config.listenHost, port: config.listenPort), serverName: "faxbot"),
        // Sessions first: the dispatcher reconciles through them at start and drains before they stop.
        services: sessionServices + [
            dispatcher, ProviderHealthChecker(monitor: monitor, transports: transports, clock: clock),
            SystemdWatchdog(notifier: notifier, clock: clock),
        ] + inbound.services,
        // Migrations ran above; the listener is up: tell systemd (Type=notify).
        onServerRunning: { _ in notifier.notify("READY=1\nSTATUS=serving") },
        logger: logger
    )
    application.beforeServerStarts {
        logger.info(
            "faxbot starting",
            metadata: [
                "listen": "\(config.listenHost):\(config.listenPort)", "backend": "\(config.backend)",
                "auth": "\(config.apiKey != nil || everStoredKeys > 0 || config.requireAPIKey ? "required" : "open (loopback only)")",
            ]
        )
    }
    return Faxbot(
        application: application, store: store, keys: keys, dispatcher: dispatcher, inbound: inbound.ingestor, inboundStore: inbound.store,
        inboundRetention: inbound.retention, sessions: sessions)
}

func buildRouter(
    jobs: JobService, auth: Authenticator, limiter: RateLimiter?, health: HealthController<BasicRequestContext>, metrics: FaxbotMetrics,
    monitor: ProviderHealthMonitor, sessions: TelephonySessions, config: FaxbotConfig
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: EdgeMiddleware())
    if let limiter { router.add(middleware: RateLimitMiddleware(limiter: limiter, bootstrapKey: config.apiKey)) }
    health.addRoutes(to: router)
    MetricsController(metrics: metrics, monitor: monitor, sessions: sessions).addRoutes(to: router)
    FaxController(jobs: jobs, auth: auth, maxFileSizeBytes: config.maxFileSizeBytes, maxFileSizeMB: config.maxFileSizeMB)
        .addRoutes(to: router)
    return router
}

/// The transport traits: an explicit `traits_file` must load; otherwise the first file found on the
/// search path must; with none found, `GET /admin/providers` answers 503.
func loadTraits(_ config: FaxbotConfig, logger: Logger) throws -> ProviderTraits? {
    let path = config.traitsFile ?? ProviderTraits.searchPaths.first { FileManager.default.fileExists(atPath: $0) }
    guard let path else {
        logger.notice("no transport traits file found", metadata: ["searched": "\(ProviderTraits.searchPaths.joined(separator: ", "))"])
        return nil
    }
    do {
        return try ProviderTraits.load(path: path)
    } catch {
        throw StartupError(description: error.description)
    }
}

extension Faxbot {
    /// Runs until SIGTERM or SIGINT (Hummingbird's defaults), then drains gracefully.
    public func run() async throws {
        try await application.runService()
    }
}
