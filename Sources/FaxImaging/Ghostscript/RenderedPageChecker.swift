import FaxbotCore
import Foundation

/// Checks Ghostscript's pages while it is still rendering the next ones: Ghostscript writes one
/// file per page (`p00001.tif`, …) and, on its own thread, this checker takes each finished page
/// (a page's file is complete once the next one exists, or Ghostscript has returned), verifies
/// its geometry, keeps its coded data and runs the spandsp page check on it. Verification then
/// costs almost no time beyond rendering on a machine with two cores.
final class RenderedPageChecker: @unchecked Sendable {
    /// A verified page: its tags and its coded data.
    struct Page {
        var info: TIFFPageInfo
        var mmr: [UInt8]?
        var image: BilevelImage?
    }

    private let directory: String
    private let resolution: Resolution
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    // Guarded by `lock`.
    private var renderingEnded = false
    // Written by the checker thread only, read after `done` is signalled.
    private var pages: [Page] = []
    private var failure: DocumentRejection?

    init(directory: String, resolution: Resolution) {
        self.directory = directory
        self.resolution = resolution
    }

    /// The file Ghostscript writes page `number` (1-based) to.
    func path(ofPage number: Int) -> String { (directory as NSString).appendingPathComponent(String(format: "p%05d.tif", number)) }

    /// Ghostscript's `-sOutputFile` pattern.
    var outputPattern: String { (directory as NSString).appendingPathComponent("p%05d.tif") }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "faxbot-page-check"
        thread.start()
    }

    /// Tells the checker Ghostscript has returned, waits for it, and gives its verdict.
    func finish() -> Result<[Page], DocumentRejection> {
        lock.lock()
        renderingEnded = true
        lock.unlock()
        done.wait()
        if let failure { return .failure(failure) }
        return .success(pages)
    }

    private var ended: Bool {
        lock.lock()
        defer { lock.unlock() }
        return renderingEnded
    }

    private func run() {
        var number = 1
        while failure == nil {
            let ended = self.ended
            let exists = FileManager.default.fileExists(atPath: path(ofPage: number))
            if exists, ended || FileManager.default.fileExists(atPath: path(ofPage: number + 1)) {
                do {
                    pages.append(try check(number))
                } catch {
                    failure = error
                }
                number += 1
            } else if ended {
                return
            } else {
                usleep(1000)
            }
        }
    }

    private func check(_ number: Int) throws(DocumentRejection) -> Page {
        let file = path(ofPage: number)
        let reader = try TIFFReader(path: file)
        let info = try reader.info(page: 0)
        try FaxPageCheck.requireFaxGeometry(info, number: number, resolution: resolution)
        do {
            _ = try T4PageCheck.check(path: file)
        } catch {
            throw DocumentRejection("page \(number): \(error.description)")
        }
        // Ghostscript's tiffg4 pages are one MMR strip: kept as coded. Anything else is decoded.
        if let mmr = try reader.rawMMRStrip(page: 0) { return Page(info: info, mmr: mmr) }
        return Page(info: info, image: try reader.readBilevel(page: 0))
    }
}
