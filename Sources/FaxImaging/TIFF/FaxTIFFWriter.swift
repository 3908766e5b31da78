import CTIFF
import Foundation

/// Writes pages as TIFF Class F: NewSubfileType 2, 1 bit, T.6 (MMR), WhiteIsZero, FillOrder 2,
/// 204 × 98/196 dpi, PageNumber n/total, one strip per page.
public enum FaxTIFFWriter {
    public enum Compression: Sendable {
        /// T.6 / MMR: the smallest, what Ghostscript's tiffg4 writes.
        case mmr
        /// T.4 / MH, the most widely read.
        case mh
    }

    /// Writes `pages` to `path` (replacing it), created with mode 0600.
    public static func write(_ pages: [BilevelImage], to path: String, compression: Compression = .mmr) throws(DocumentRejection) {
        guard !pages.isEmpty else { throw DocumentRejection("there are no pages to write") }
        let writer = try Session(path: path, total: pages.count, compression: compression)
        for page in pages { try writer.append(page) }
        try writer.finish()
    }

    /// Writes pages one at a time, so a long document never sits in memory whole. The file is
    /// built under a name of this process's own and renamed into place only when complete, so
    /// no reader ever sees half a fax file, and a stale worker of an earlier run cannot mix its
    /// pages into this one.
    public final class Session {
        private var handle: OpaquePointer?
        private let path: String
        private let partPath: String
        private let errors = TIFFErrorLog()
        private let total: Int
        private let compression: Compression
        private var written = 0

        public init(path: String, total: Int, compression: Compression = .mmr) throws(DocumentRejection) {
            LibTIFFQuiet.ensureSilenced()
            self.path = path
            self.partPath = "\(path).\(getpid()).part"
            unlink(partPath)
            let descriptor = open(partPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw DocumentRejection("cannot create the fax file (errno \(errno))") }
            close(descriptor)
            guard let handle = errors.open(partPath, mode: "w") else {
                unlink(partPath)
                throw DocumentRejection("cannot write the fax file: \(errors.summary("libtiff refused"))")
            }
            self.handle = handle
            self.total = total
            self.compression = compression
        }

        deinit {
            if let handle {
                TIFFClose(handle)
                unlink(partPath)
            }
        }

        public func append(_ page: BilevelImage) throws(DocumentRejection) {
            guard let tif = handle else { throw DocumentRejection("the fax file is already closed") }
            writeTags(tif, width: page.width, height: page.height, xResolution: page.xResolution, yResolution: page.yResolution)
            var row = [UInt8](repeating: 0, count: page.rowBytes)
            for y in 0..<page.height {
                let base = y * page.rowBytes
                for i in 0..<page.rowBytes { row[i] = page.bits[base + i] }
                guard TIFFWriteScanline(tif, &row, UInt32(y), 0) == 1 else {
                    throw DocumentRejection("cannot encode page \(written + 1): \(errors.summary("encoder error"))")
                }
            }
            try endPage(tif)
        }

        /// Appends a page already coded as T.6 (MMR), most significant bit first, without
        /// decoding it: how Ghostscript's pages become Class F at no cost per pixel.
        public func appendMMR(_ data: [UInt8], width: Int, height: Int, xResolution: Double, yResolution: Double) throws(DocumentRejection) {
            guard compression == .mmr, let tif = handle else { throw DocumentRejection("the fax file cannot take an MMR page") }
            writeTags(tif, width: width, height: height, xResolution: xResolution, yResolution: yResolution)
            var bytes = data
            // The file says FillOrder 2 (least significant bit first), so the coded bytes are stored reversed.
            TIFFReverseBits(&bytes, tmsize_t(bytes.count))
            guard TIFFWriteRawStrip(tif, 0, &bytes, tmsize_t(bytes.count)) == bytes.count else {
                throw DocumentRejection("cannot write page \(written + 1): \(errors.summary("write error"))")
            }
            try endPage(tif)
        }

        private func endPage(_ tif: OpaquePointer) throws(DocumentRejection) {
            guard TIFFWriteDirectory(tif) == 1 else {
                throw DocumentRejection("cannot write page \(written + 1): \(errors.summary("write error"))")
            }
            written += 1
        }

        private func writeTags(_ tif: OpaquePointer, width: Int, height: Int, xResolution: Double, yResolution: Double) {
            let tag = { (t: Int32) in UInt32(t) }
            _ = ctiff_set_u32(tif, tag(TIFFTAG_SUBFILETYPE), UInt32(FILETYPE_PAGE))
            _ = ctiff_set_u32(tif, tag(TIFFTAG_IMAGEWIDTH), UInt32(width))
            _ = ctiff_set_u32(tif, tag(TIFFTAG_IMAGELENGTH), UInt32(height))
            _ = ctiff_set_u16(tif, tag(TIFFTAG_BITSPERSAMPLE), 1)
            _ = ctiff_set_u16(tif, tag(TIFFTAG_SAMPLESPERPIXEL), 1)
            _ = ctiff_set_u16(tif, tag(TIFFTAG_PLANARCONFIG), UInt16(PLANARCONFIG_CONTIG))
            switch compression {
            case .mmr:
                _ = ctiff_set_u16(tif, tag(TIFFTAG_COMPRESSION), UInt16(COMPRESSION_CCITTFAX4))
                _ = ctiff_set_u32(tif, tag(TIFFTAG_GROUP4OPTIONS), 0)
            case .mh:
                _ = ctiff_set_u16(tif, tag(TIFFTAG_COMPRESSION), UInt16(COMPRESSION_CCITTFAX3))
                _ = ctiff_set_u32(tif, tag(TIFFTAG_GROUP3OPTIONS), UInt32(GROUP3OPT_FILLBITS))
            }
            _ = ctiff_set_u32(tif, tag(TIFFTAG_FAXMODE), UInt32(FAXMODE_CLASSF))
            _ = ctiff_set_u16(tif, tag(TIFFTAG_PHOTOMETRIC), UInt16(PHOTOMETRIC_MINISWHITE))
            _ = ctiff_set_u16(tif, tag(TIFFTAG_FILLORDER), UInt16(FILLORDER_LSB2MSB))
            _ = ctiff_set_float(tif, tag(TIFFTAG_XRESOLUTION), Float(xResolution))
            _ = ctiff_set_float(tif, tag(TIFFTAG_YRESOLUTION), Float(yResolution))
            _ = ctiff_set_u16(tif, tag(TIFFTAG_RESOLUTIONUNIT), UInt16(RESUNIT_INCH))
            _ = ctiff_set_u16_pair(tif, tag(TIFFTAG_PAGENUMBER), UInt16(written), UInt16(total))
            _ = ctiff_set_u32(tif, tag(TIFFTAG_ROWSPERSTRIP), UInt32(height))
            _ = ctiff_set_u16(tif, tag(TIFFTAG_CLEANFAXDATA), UInt16(CLEANFAXDATA_CLEAN))
            _ = ctiff_set_string(tif, tag(TIFFTAG_SOFTWARE), "Faxbot")
        }

        /// Flushes and closes; the file is then complete and fsync'd.
        public func finish() throws(DocumentRejection) {
            guard let tif = handle else { return }
            handle = nil
            guard written == total else {
                TIFFClose(tif)
                unlink(partPath)
                throw DocumentRejection("wrote \(written) of \(total) pages")
            }
            let descriptor = TIFFFileno(tif)
            let flushed = TIFFFlush(tif) == 1 && fsync(descriptor) == 0
            TIFFClose(tif)
            guard flushed, rename(partPath, path) == 0 else {
                unlink(partPath)
                throw DocumentRejection("cannot flush the fax file to disk")
            }
        }
    }
}
