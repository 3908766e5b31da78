import FaxTransports
import FaxbotCore
import Foundation
import Logging
import ServiceLifecycle

/// Feeds the ingestor: every configured transport's received faxes as they are reported, and the
/// spool at start and then every ``rescanInterval`` (faxes received while the daemon was down,
/// or whose report was lost). An ingest that fails is logged; the service never stops for it.
public struct InboundService: Service {
    let ingestor: InboundIngestor
    let sources: [any InboundFaxSource]
    let clock: any WallClock
    /// With `inbound.enabled` false, reports are acknowledged in the log only and the TIFFs stay
    /// in the spool for when inbound is turned on.
    let enabled: Bool
    let logger: Logger

    public static let rescanInterval: TimeInterval = 300

    public init(ingestor: InboundIngestor, sources: [any InboundFaxSource], clock: any WallClock, enabled: Bool, logger: Logger) {
        self.ingestor = ingestor
        self.sources = sources
        self.clock = clock
        self.enabled = enabled
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await consumeReports() }
                if enabled {
                    group.addTask { await scanPeriodically() }
                }
            }
        }
    }

    /// Ingests every report of every source until all their streams end.
    func consumeReports() async {
        await withTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask { await consume(source) }
            }
        }
    }

    private func consume(_ source: any InboundFaxSource) async {
        for await call in source.inboundCalls {
            guard enabled else {
                logger.notice("inbound is disabled; a received fax stays in the spool", metadata: ["transport": "\(call.transport)"])
                continue
            }
            do {
                _ = try await ingestor.ingest(call)
            } catch {
                logger.error("a received fax could not be recorded", metadata: ["transport": "\(call.transport)", "reason": "\(error)"])
            }
        }
    }

    private func scanPeriodically() async {
        while !Task.isCancelled {
            _ = await ingestor.ingestSpool()
            guard (try? await clock.sleep(for: Self.rescanInterval)) != nil else { return }
        }
    }
}
