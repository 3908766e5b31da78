import FaxTransports
import FaxbotCore
import FaxbotStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything inbound, assembled for the composition root: the store, the ingestor, its two
/// services and its routes.
struct InboundParts {
    let store: any InboundStore
    let ingestor: InboundIngestor
    let service: InboundService
    let retention: InboundRetention
    let controller: InboundController<BasicRequestContext>
    let enabled: Bool

    static func build(
        config: FaxbotConfig, storage: Storage, transports: [any FaxTransport], auth: Authenticator, pepper: String, clock: any WallClock,
        metrics: FaxbotMetrics
    ) async throws -> InboundParts {
        let store = SQLiteInboundStore(database: storage.database)
        let logger = Logger(label: "faxbot.inbound")
        let ingestor = InboundIngestor(
            store: store, spoolDir: config.inboundSpoolDir, directory: config.inboundStoreDir, settings: config.inbound, clock: clock,
            metrics: metrics, logger: logger
        )
        do {
            try ingestor.prepareDirectories()
        } catch {
            throw StartupError(description: "cannot create the inbound directories (\(config.inboundStoreDir), \(config.inboundSpoolDir)): \(error)")
        }
        await ingestor.removeOrphanPDFs()
        return InboundParts(
            store: store,
            ingestor: ingestor,
            service: InboundService(
                ingestor: ingestor, sources: transports.compactMap { $0 as? any InboundFaxSource }, clock: clock, enabled: config.inbound.enabled,
                logger: logger
            ),
            retention: InboundRetention(store: store, ingestor: ingestor, clock: clock, logger: logger),
            controller: InboundController(
                store: store, ingestor: ingestor, auth: auth,
                tokens: InboundPDFToken(pepper: pepper, lifetimeMinutes: config.inbound.tokenTTLMinutes),
                clock: clock, secret: config.inbound.secret, logger: logger
            ),
            enabled: config.inbound.enabled
        )
    }

    /// The routes; none while inbound is disabled (they answer 404, as in v3).
    func addRoutes(to router: Router<BasicRequestContext>) {
        if enabled { controller.addRoutes(to: router) }
    }

    var services: [any Service] { [service, retention] }
}
