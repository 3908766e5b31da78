import CSpanDSP
import CTIFF
import Foundation

/// Pre-dial check of a TIFF-F file: every page is measured by libtiff and then encoded by
/// spandsp's T.4 transmitter exactly as `t30_set_tx_file` would open it.
///
/// A file that passes will not fail a call for reasons of page format (bit depth, width or
/// resolution). spandsp only rejects a bad width during T.30 negotiation, part-way through a
/// document, so this check is the daemon's only chance to refuse it up front.
///
/// The check is synchronous and CPU-bound (about 10 ms per fine page); run it off the
/// cooperative thread pool for large documents.
public enum T4PageCheck {
    /// Checks every page of the TIFF-F file at `path`.
    ///
    /// - Returns: one ``CheckedPage`` per page, in order.
    /// - Throws: ``PageCheckError`` naming the first offending page and value.
    public static func check(path: String) throws(PageCheckError) -> [CheckedPage] {
        LibTIFFQuiet.ensureSilenced()
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        let tags = try decodeAll(path: path)
        guard let t4 = t4_tx_init(nil, path, -1, -1) else {
            throw .notAFaxTIFF(path: path, detail: "spandsp refused to open it for sending")
        }
        defer { t4_tx_free(t4) }
        let pageCount = Int(t4_tx_get_pages_in_file(t4))
        guard pageCount > 0 else { throw .noPages(path: path) }
        var checked: [CheckedPage] = []
        for index in 0..<pageCount {
            let number = index + 1
            t4_tx_set_tx_encoding(t4, Int32(T4_COMPRESSION_ITU_T4_2D.rawValue))
            guard t4_tx_start_page(t4) == 0 else { throw .unreadablePage(page: number) }
            let width = Int(t4_tx_get_image_width(t4))
            guard FaxPageRules.allowedWidths.contains(width) else { throw .unsupportedWidth(page: number, width: width) }
            let bytes = drainEncodedPage(t4)
            var stats = t4_stats_t()
            t4_tx_get_transfer_statistics(t4, &stats)
            t4_tx_end_page(t4)
            guard bytes > 0 else { throw .unreadablePage(page: number) }
            let page = index < tags.count ? tags[index] : tags[tags.count - 1]
            checked.append(
                CheckedPage(
                    index: number,
                    width: width,
                    rows: Int(stats.length),
                    xResolution: page.xDPI ?? 0,
                    yResolution: page.yDPI ?? 0,
                    encodedBytes: bytes
                )
            )
        }
        return checked
    }

    /// Reads, validates and fully decodes every page with libtiff.
    ///
    /// spandsp 0.0.6 does not report strip read errors: a tiled, truncated or corrupt page is
    /// silently sent as a (nearly) empty page. Decoding every row here catches that.
    /// libtiff 4.5 detects IFD loops, so a hostile chain of directories ends the walk.
    static func decodeAll(path: String, pageLimit: Int = 10_000) throws(PageCheckError) -> [TIFFPageTags] {
        guard let tiff = TIFFOpen(path, "r") else {
            throw .notAFaxTIFF(path: path, detail: "it is not a TIFF file that libtiff can read")
        }
        defer { TIFFClose(tiff) }
        var pages: [TIFFPageTags] = []
        repeat {
            let page = TIFFPageTags(reading: tiff)
            let number = pages.count + 1
            try validate(page, number: number)
            do {
                _ = try BilevelPageReader.decode(tiff, tags: page)
            } catch {
                switch error {
                case .notBilevel(let bits): throw .unsupportedBitDepth(page: number, bitsPerPixel: bits)
                case .badDimensions, .badRow: throw .unreadablePage(page: number)
                }
            }
            pages.append(page)
        } while pages.count < pageLimit && TIFFReadDirectory(tiff) == 1
        return pages
    }

    /// Checks the libtiff view of one page against ``FaxPageRules``.
    static func validate(_ page: TIFFPageTags, number: Int) throws(PageCheckError) {
        guard page.bitsPerPixel == 1 else { throw .unsupportedBitDepth(page: number, bitsPerPixel: page.bitsPerPixel) }
        guard FaxPageRules.allowedWidths.contains(page.width) else { throw .unsupportedWidth(page: number, width: page.width) }
        guard page.length > 0, page.length <= FaxPageRules.maximumRows else { throw .unsupportedLength(page: number, rows: page.length) }
        guard let x = page.xDPI, let y = page.yDPI else { throw .missingResolution(page: number) }
        guard FaxPageRules.matches(x, anyOf: FaxPageRules.allowedXResolutions) else { throw .unsupportedXResolution(page: number, dpi: x) }
        guard FaxPageRules.matches(y, anyOf: FaxPageRules.allowedYResolutions) else { throw .unsupportedYResolution(page: number, dpi: y) }
    }

    /// Pulls every encoded byte of the current page out of the transmitter and returns the count.
    ///
    /// `t4_tx_get_chunk` returns less than the requested length once the page is exhausted;
    /// the byte cap only guards against a runaway encoder.
    private static func drainEncodedPage(_ t4: OpaquePointer) -> Int {
        let chunkSize: Int32 = 16_384
        let byteCap = 256 << 20
        var buffer = [UInt8](repeating: 0, count: Int(chunkSize))
        var total = 0
        while total < byteCap {
            let got = buffer.withUnsafeMutableBufferPointer { t4_tx_get_chunk(t4, $0.baseAddress, chunkSize) }
            total += max(Int(got), 0)
            if got < chunkSize { break }
        }
        return total
    }
}
