import Crypto
import FaxImaging
import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Turns what a PBX reports about a received fax into one ``InboundFax`` record: every path
/// (AMI event, ESL event, the internal hook, `faxbot inbound submit`, a TIFF left in the spool)
/// ends here.
///
/// The order is what keeps a fax from being lost or doubled:
/// 1. a record of the same call (transport + call id) already exists → it is returned as is;
/// 2. the TIFF (a regular file directly inside the spool, symlinks resolved) is copied, converted
///    to a PDF off the cooperative pool, and the PDF is on stable storage (fsync, rename, fsync of
///    the directory) before anything is recorded;
/// 3. the row is committed; a concurrent report of the same call that won instead gets its PDF
///    removed and the winner returned;
/// 4. only then is the PBX's TIFF (and its sidecar) deleted.
/// A crash between 2 and 3 leaves a PDF without a row, removed at the next start
/// (``removeOrphanPDFs()``); a crash between 3 and 4 leaves a TIFF whose next report returns the record.
public final class InboundIngestor: Sendable {
    let store: any InboundStore
    let spool: InboundSpoolDirectory
    /// `<data_dir>/inbound`: the PDFs, `<id>.pdf`, mode 0600.
    let directory: String
    let settings: InboundSettings
    let clock: any WallClock
    let metrics: FaxbotMetrics?
    let logger: Logger
    private let inFlight = Mutex<[String: Task<InboundFax, any Error>]>([:])

    public init(
        store: any InboundStore, spoolDir: String, directory: String, settings: InboundSettings, clock: any WallClock,
        metrics: FaxbotMetrics? = nil, logger: Logger
    ) {
        self.store = store
        self.spool = InboundSpoolDirectory(path: spoolDir)
        self.directory = directory
        self.settings = settings
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// Creates the PDF directory (0700) and, when missing, the spool directory (0770: the PBX's
    /// user shares the daemon's group; see docs/inbound.md).
    public func prepareDirectories() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: spool.path) {
            try FileManager.default.createDirectory(atPath: spool.path, withIntermediateDirectories: true)
            chmod(spool.path, 0o770)
        }
    }

    /// Records one received fax, or returns the record of the same call if there is one. Reports of
    /// one call that arrive together share one ingest. Throws ``InboundError``.
    public func ingest(_ call: InboundCall) async throws -> InboundFax {
        let key = "\(call.transport)\u{0}\(call.callID)"
        let task = inFlight.withLock { running -> Task<InboundFax, any Error> in
            if let task = running[key] { return task }
            // Unstructured on purpose: a caller that goes away (a closed connection, shutdown)
            // must not cancel an ingest half way between the PDF and the row.
            let task = Task { try await self.perform(call) }
            running[key] = task
            return task
        }
        defer { _ = inFlight.withLock { $0.removeValue(forKey: key) } }
        return try await task.value
    }

    private func perform(_ call: InboundCall) async throws(InboundError) -> InboundFax {
        try Self.validate(call)
        if let existing = try await existingRecord(call) {
            removeSource(call)
            return existing
        }
        let id = JobID.make()
        let name = try spool.entryName(for: call.tiffPath)
        let stored: StoredPDF?
        do {
            stored = try await storePDF(name: name, id: id, call: call)
        } catch {
            // Another daemon (or an earlier run) may have recorded the call and removed its TIFF meanwhile.
            if let existing = try await existingRecord(call) { return existing }
            throw error
        }
        let now = clock.now()
        let status: InboundStatus = stored == nil ? .failed : call.succeeded ? .received : .partial
        let fax = InboundFax(
            id: id, transport: call.transport, callID: call.callID, from: Self.number(call.from), to: Self.number(call.to),
            status: status, pages: stored?.pages ?? 0, sizeBytes: stored?.size ?? 0, sha256: stored?.sha256,
            pdfPath: stored.map { _ in "\(id).pdf" }, mailbox: settings.mailbox(for: call.to),
            error: status == .received ? nil : Self.errorText(call, stored: stored), remoteStationID: Self.text(call.remoteStationID, limit: 64),
            receivedAt: now, createdAt: now, updatedAt: now,
            retentionUntil: settings.retentionDays > 0 ? now.addingTimeInterval(Double(settings.retentionDays) * 86_400) : nil
        )
        let result: InboundInsertResult
        do {
            result = try await store.insert(fax)
        } catch {
            if stored != nil { unlink(pdfPath(id)) }
            logger.error("could not record an inbound fax; the TIFF stays in the spool", metadata: ["error": "\(error)"])
            throw InboundError(.storage, "the fax could not be recorded")
        }
        switch result {
        case .existing(let winner):
            // Another report of the same call committed first: it is the record.
            if stored != nil { unlink(pdfPath(id)) }
            removeSource(call)
            return winner
        case .created(let fax):
            removeSource(call)
            metrics?.inboundFax(transport: fax.transport, status: fax.status.rawValue)
            logger.info(
                "inbound fax recorded",
                metadata: [
                    "inbound_id": "\(fax.id)", "transport": "\(fax.transport)", "status": "\(fax.status.rawValue)", "pages": "\(fax.pages)",
                    "from": "\(InboundLog.mask(fax.from))", "to": "\(InboundLog.mask(fax.to))", "mailbox": "\(fax.mailbox)",
                ]
            )
            return fax
        }
    }

    private func existingRecord(_ call: InboundCall) async throws(InboundError) -> InboundFax? {
        do {
            return try await store.fax(transport: call.transport, callID: call.callID)
        } catch {
            logger.error("could not read the inbound store", metadata: ["error": "\(error)"])
            throw InboundError(.storage, "the inbound store cannot be read")
        }
    }

    struct StoredPDF: Sendable {
        var pages: Int
        var size: Int
        var sha256: String
    }

    /// The PDF of the call's TIFF, on stable storage; nil when nothing usable arrived on a call the
    /// PBX reported as failed. Throws when the PBX reported success and the TIFF is unusable.
    private func storePDF(name: String, id: String, call: InboundCall) async throws(InboundError) -> StoredPDF? {
        let spool = spool
        let target = pdfPath(id)
        let working = (directory as NSString).appendingPathComponent(".\(id).tif")
        let directory = directory
        let outcome: Result<StoredPDF?, InboundError>
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive { () -> Result<StoredPDF?, InboundError> in
                defer { unlink(working) }
                do throws(InboundError) {
                    guard try spool.copy(name, to: working) else {
                        return .failure(InboundError(.unreadable, "the TIFF does not exist"))
                    }
                    return .success(try Self.convert(working, to: target, directory: directory))
                } catch {
                    unlink(target)
                    return .failure(error)
                }
            }
        } catch {
            throw InboundError(.storage, "the conversion could not be scheduled")
        }
        switch outcome {
        case .success(let stored):
            return stored
        case .failure(let error) where !call.succeeded && (error.kind == .unreadable || error.kind == .rejected):
            // A failed call that left nothing readable is still a record: the missed fax stays visible.
            logger.notice("a failed inbound call left no readable pages", metadata: ["reason": "\(error.message)"])
            return nil
        case .failure(let error):
            throw error
        }
    }

    /// TIFF → PDF (0600, fsync'd, renamed into place by ``FaxTIFFToPDF``), then the directory is fsync'd.
    private static func convert(_ tiff: String, to target: String, directory: String) throws(InboundError) -> StoredPDF {
        let pages: Int
        do {
            pages = try FaxTIFFToPDF.convert(tiff: tiff, output: target)
        } catch {
            throw InboundError(.rejected, "the TIFF could not be read as a fax: \(error)")
        }
        guard pages >= 1 else { throw InboundError(.rejected, "the TIFF holds no page") }
        guard let data = FileManager.default.contents(atPath: target) else { throw InboundError(.storage, "the stored PDF cannot be read back") }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw InboundError(.storage, "the inbound directory cannot be opened") }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw InboundError(.storage, "the inbound directory cannot be synced") }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return StoredPDF(pages: pages, size: data.count, sha256: digest)
    }

    /// Deletes the PBX's TIFF and its sidecar once the record exists. Only files directly inside
    /// the spool are touched; a refusal is logged, never fatal.
    private func removeSource(_ call: InboundCall) {
        guard let name = try? spool.entryName(for: call.tiffPath) else { return }
        let sidecar = InboundSidecar.name(forTIFF: name)
        for entry in sidecar == name ? [name] : [name, sidecar] {
            if let error = spool.remove(entry) {
                logger.warning(
                    "cannot delete a received file from the inbound spool after recording it; give the daemon write access to the spool",
                    metadata: ["transport": "\(call.transport)", "errno": "\(error)"]
                )
            }
        }
    }

    func pdfPath(_ id: String) -> String { (directory as NSString).appendingPathComponent("\(id).pdf") }

    /// The stored PDF of a record, if it has one.
    public func pdfPath(of fax: InboundFax) -> String? { fax.pdfPath.map { (directory as NSString).appendingPathComponent($0) } }

    // MARK: Validation

    static func validate(_ call: InboundCall) throws(InboundError) {
        guard (1...32).contains(call.transport.utf8.count),
            call.transport.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
            )
        else { throw InboundError(.invalidReport, "transport must be 1 to 32 of a–z, 0–9, _ and -") }
        guard isValidCallID(call.callID) else { throw InboundError(.invalidReport, "the call id must be 1 to 128 of A–Z, a–z, 0–9, . _ : and -") }
    }

    /// Asterisk `UNIQUEID` (`1700000000.42`), FreeSWITCH uuids and the like.
    public static func isValidCallID(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                $0.isASCIIAlphanumeric || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-")].contains($0)
            }
    }

    /// A number as the PBX signalled it, kept only when it looks like one (`+` and 1–32 digits).
    static func number(_ text: String?) -> String? {
        guard let text, (1...33).contains(text.utf8.count) else { return nil }
        let digits = text.hasPrefix("+") ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return text
    }

    /// Printable ASCII text of at most `limit` characters, or nil.
    static func text(_ value: String?, limit: Int) -> String? {
        guard let value else { return nil }
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.filter { (0x20..<0x7F).contains($0.value) }.prefix(limit)))
            .trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? nil : cleaned
    }

    private static func errorText(_ call: InboundCall, stored: StoredPDF?) -> String {
        if let reported = text(call.error, limit: 200) { return reported }
        return stored == nil ? "no usable pages arrived" : "the call did not complete; the pages that arrived were kept"
    }
}

/// Log helpers: numbers masked to their last four digits.
enum InboundLog {
    static func mask(_ number: String?) -> String {
        guard let number else { return "none" }
        return "***" + String(number.filter(\.isNumber).suffix(4))
    }
}
