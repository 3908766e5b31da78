import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Deletes received faxes' PDFs once their retention ends (`inbound.retention_days`) and marks
/// the records; the records themselves stay, so the history of what arrived is kept.
public struct InboundRetention: Service {
    let store: any InboundStore
    let ingestor: InboundIngestor
    let clock: any WallClock
    let logger: Logger

    public static let interval: TimeInterval = 3600
    static let batch = 200

    public init(store: any InboundStore, ingestor: InboundIngestor, clock: any WallClock, logger: Logger) {
        self.store = store
        self.ingestor = ingestor
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                guard (try? await clock.sleep(for: Self.interval)) != nil else { return }
            }
        }
    }

    /// Deletes every PDF whose retention has ended; returns how many. A file that cannot be
    /// deleted is logged and tried again at the next sweep (its record is not marked).
    @discardableResult
    public func sweep() async -> Int {
        var deleted = 0
        var refused: Set<String> = []
        while true {
            let now = clock.now()
            let due: [InboundFax]
            do {
                due = try await store.dueForRetention(now: now, limit: Self.batch + refused.count)
            } catch {
                if !Task.isCancelled { logger.error("inbound retention cannot read the store", metadata: ["error": "\(error)"]) }
                return deleted
            }
            let work = due.filter { !refused.contains($0.id) }
            for fax in work {
                guard let path = ingestor.pdfPath(of: fax) else { continue }
                if unlink(path) != 0, errno != ENOENT {
                    logger.warning("cannot delete an inbound PDF past its retention", metadata: ["inbound_id": "\(fax.id)", "errno": "\(errno)"])
                    refused.insert(fax.id)
                    continue
                }
                do {
                    if try await store.markPDFDeleted(id: fax.id, at: now) { deleted += 1 }
                } catch {
                    if !Task.isCancelled { logger.error("inbound retention cannot update the store", metadata: ["error": "\(error)"]) }
                    return deleted
                }
            }
            if work.count < Self.batch { break }
        }
        if deleted > 0 { logger.info("inbound PDFs past their retention deleted", metadata: ["count": "\(deleted)"]) }
        return deleted
    }
}
