import FaxImaging
import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import Testing

@testable import FaxbotServer

/// A scratch data directory with an inbound spool and an ingestor over a real SQLite store.
struct InboundScratch {
    let root: String
    let spool: String
    let store: any InboundStore
    let ingestor: InboundIngestor
    let clock: ManualClock
    let metrics: FaxbotMetrics

    init(settings: InboundSettings = InboundSettings(), store: (any InboundStore)? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-inbound-\(UUID().uuidString)").path
        spool = (root as NSString).appendingPathComponent("incoming")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        self.store = try store ?? SQLiteInboundStore(database: SQLiteDatabase(path: (root as NSString).appendingPathComponent("faxbot.db")))
        clock = ManualClock()
        metrics = FaxbotMetrics()
        var logger = Logger(label: "test.inbound")
        logger.logLevel = .critical
        ingestor = InboundIngestor(
            store: self.store, spoolDir: spool, directory: (root as NSString).appendingPathComponent("inbound"), settings: settings, clock: clock,
            metrics: metrics, logger: logger
        )
        try ingestor.prepareDirectories()
    }

    var pdfDirectory: String { (root as NSString).appendingPathComponent("inbound") }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Writes a fax TIFF of `pages` pages into the spool (or `directory`) and returns its path.
    @discardableResult
    func tiff(_ name: String, pages: Int = 2, in directory: String? = nil) throws -> String {
        let path = ((directory ?? spool) as NSString).appendingPathComponent(name)
        try InboundSamples.writeFax(pages: pages, to: path)
        return path
    }

    func spoolPath(_ name: String) -> String { (spool as NSString).appendingPathComponent(name) }

    func call(_ callID: String, file: String? = nil, succeeded: Bool = true, to: String? = "+15551230000", pages: Int? = 2) -> InboundCall {
        InboundCall(
            transport: "sip", callID: callID, tiffPath: spoolPath(file ?? "\(callID).tif"), from: "+15550009876", to: to, succeeded: succeeded,
            pages: pages, remoteStationID: "+15550009876")
    }

    /// Every file in the PDF directory.
    func pdfFiles() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: pdfDirectory)) ?? []).sorted() }

    func spoolFiles() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).sorted() }
}

enum InboundSamples {
    /// Writes a fax into a running daemon's spool, dated now on its clock, so that the daemon's own
    /// spool scan leaves it alone (as a file still being received) and the test decides who reports it.
    @discardableResult
    static func writeFax(pages: Int, into daemon: TestDaemon, name: String) throws -> String {
        let path = (daemon.config.inboundSpoolDir as NSString).appendingPathComponent(name)
        try writeFax(pages: pages, to: path)
        try FileManager.default.setAttributes([.modificationDate: daemon.clock.now()], ofItemAtPath: path)
        return path
    }

    /// A standard-resolution fax (1728 × 1078 at 204 × 98 dpi per page) with a mark on each page.
    static func writeFax(pages: Int, to path: String) throws {
        let images = (0..<pages).map { page -> BilevelImage in
            var image = BilevelImage(width: 1728, height: 1078, xResolution: 204, yResolution: 98)
            for y in 100..<(140 + page * 20) {
                for x in 200..<900 { image.setBlack(x: x, y: y) }
            }
            return image
        }
        try FaxTIFFWriter.write(images, to: path, compression: .mh)
    }

    /// The page count of a PDF as qpdf reads it.
    static func pdfPageCount(_ path: String) throws -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        process.arguments = ["--show-npages", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    struct TimedOut: Error {}

    static var quietLogger: Logger {
        var logger = Logger(label: "test.inbound")
        logger.logLevel = .critical
        return logger
    }

    /// Polls `condition` (bounded: about 4 s) for work that runs on other tasks.
    static func eventually(_ what: String, _ condition: () async -> Bool) async throws {
        for _ in 0..<2000 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("timed out waiting until \(what)")
        throw TimedOut()
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// The file's SHA-256 as `sha256sum` computes it.
    static func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
