import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Faxes left in the spool: received while the daemon was down, or reported by nobody.
extension InboundIngestor {
    /// A TIFF with no sidecar is ingested only once it has not changed for this long: ReceiveFAX
    /// writes the file page by page during the call, and a call reported by its PBX is ingested
    /// from that report long before. A T.30 call never pauses this long between pages.
    public static let bareTIFFMinimumAge: TimeInterval = 600

    /// What one scan of the spool did.
    public struct SpoolScan: Sendable, Equatable {
        /// Calls recorded (or found already recorded) in this scan.
        public var ingested: [InboundFax] = []
        /// TIFFs without a sidecar still too young to be known complete.
        public var waiting = 0
        /// Files that could not be ingested (logged).
        public var failed = 0
    }

    /// Ingests every finished fax in the spool: each `*.tif`/`*.tiff` with a sidecar
    /// (`<stem>.json`, written by `faxbot inbound submit` when the daemon was unreachable), each
    /// sidecar whose TIFF never appeared (a failed call), and each TIFF without a sidecar that has
    /// not changed for ``bareTIFFMinimumAge`` (call id = the file's stem, transport `sip`, kept as
    /// `partial` because no PBX said it completed). Runs at start and then periodically.
    public func ingestSpool() async -> SpoolScan {
        var scan = SpoolScan()
        guard let directory = try? spool.resolved() else { return scan }
        let entries = spool.regularFiles()
        let names = Set(entries.map(\.name))
        let now = clock.now()
        var reports: [InboundCall] = []
        var claimedSidecars: Set<String> = []
        for entry in entries where Self.isTIFF(entry.name) {
            let path = (directory as NSString).appendingPathComponent(entry.name)
            let sidecarName = InboundSidecar.name(forTIFF: entry.name)
            if names.contains(sidecarName) {
                claimedSidecars.insert(sidecarName)
                guard let sidecar = readSidecar(sidecarName) else {
                    scan.failed += 1
                    continue
                }
                reports.append(sidecar.call(tiffPath: path))
            } else if now.timeIntervalSince(entry.modified) >= Self.bareTIFFMinimumAge {
                reports.append(
                    InboundCall(
                        transport: settings.spoolTransport, callID: InboundSidecar.stem(entry.name), tiffPath: path, succeeded: false,
                        error: "no PBX report arrived for this call; the pages found in the spool were kept"
                    ))
            } else {
                scan.waiting += 1
            }
        }
        for entry in entries where entry.name.hasSuffix(".json") && !claimedSidecars.contains(entry.name) {
            // A sidecar alone: the call failed before ReceiveFAX wrote anything.
            guard let sidecar = readSidecar(entry.name) else {
                scan.failed += 1
                continue
            }
            guard sidecar.file == (sidecar.file as NSString).lastPathComponent, Self.isTIFF(sidecar.file) else {
                scan.failed += 1
                continue
            }
            reports.append(sidecar.call(tiffPath: (directory as NSString).appendingPathComponent(sidecar.file)))
        }
        for report in reports {
            do {
                scan.ingested.append(try await ingest(report))
            } catch {
                scan.failed += 1
                logger.warning(
                    "a fax left in the inbound spool could not be ingested", metadata: ["transport": "\(report.transport)", "reason": "\(error)"])
            }
        }
        if !scan.ingested.isEmpty || scan.failed > 0 {
            logger.notice(
                "inbound spool scanned", metadata: ["ingested": "\(scan.ingested.count)", "waiting": "\(scan.waiting)", "failed": "\(scan.failed)"])
        }
        return scan
    }

    private func readSidecar(_ name: String) -> InboundSidecar? {
        guard let data = spool.readSmallFile(name), let sidecar = try? JSONDecoder().decode(InboundSidecar.self, from: data) else {
            logger.warning("an inbound sidecar file cannot be read or parsed; it is left in the spool")
            return nil
        }
        return sidecar
    }

    static func isTIFF(_ name: String) -> Bool {
        let lower = name.lowercased()
        return (lower.hasSuffix(".tif") || lower.hasSuffix(".tiff")) && InboundSidecar.stem(name) != name
    }

    /// Deletes files of the PDF directory that no record names: a crash between storing a PDF
    /// and committing its row leaves one (that report was never acknowledged and is ingested again).
    public func removeOrphanPDFs() async {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed = 0
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            // Only `<id>.pdf` files are kept, and only with a record; everything else here is a
            // working file of an ingest that never finished.
            let isRecordFile = name.hasSuffix(".pdf") && JobID.isValid(String(name.dropLast(4)))
            if isRecordFile {
                guard (try? await store.hasRecord(pdfPath: name)) == false else { continue }
            }
            unlink(path)
            removed += 1
        }
        if removed > 0 { logger.notice("removed inbound files never recorded", metadata: ["count": "\(removed)"]) }
    }
}
