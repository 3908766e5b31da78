import Foundation

/// A fax TIFF → PDF: one PDF page per fax page, each the physical size the fax says (1728 pixels
/// at 204 dpi wide; rows at 98 or 196 per inch tall), so standard-resolution pages are not
/// squashed. Pages are embedded as CCITT G4 images, without re-rendering.
public enum FaxTIFFToPDF {
    /// Converts any black-and-white TIFF (MH, MR or MMR; fine, standard or mixed, as ReceiveFAX and
    /// rxfax write them); returns the page count.
    public static func convert(tiff: String, output: String) throws(DocumentRejection) -> Int {
        let normalized = "\(output).\(getpid()).tif"
        defer { unlink(normalized) }
        _ = try TIFFToFaxTIFF.convert(tiff: tiff, output: normalized, resolution: nil)
        return try convert(faxTIFF: normalized, output: output)
    }

    /// Converts a TIFF-F written by ``FaxTIFFWriter`` (one MMR strip per page).
    public static func convert(faxTIFF: String, output: String) throws(DocumentRejection) -> Int {
        let reader = try TIFFReader(path: faxTIFF)
        var pdf = PDFWriter(version: "1.4")
        let pagesReference = pdf.reserveObject()
        var pageReferences: [PDFObjectReference] = []
        for index in 0..<reader.pageCount {
            let info = try reader.info(page: index)
            guard let strip = try reader.rawMMRStrip(page: index) else {
                throw DocumentRejection("page \(index + 1) is not stored as one MMR strip; normalise the TIFF first")
            }
            let xDPI = info.xResolution ?? FaxGeometry.horizontalDPI
            let yDPI = info.yResolution ?? 196
            let width = PDFSyntax.number(Double(info.width) / xDPI * 72)
            let height = PDFSyntax.number(Double(info.height) / yDPI * 72)
            let image = pdf.addStream(
                entries: "/Type /XObject /Subtype /Image /Width \(info.width) /Height \(info.height) /BitsPerComponent 1 "
                    + "/ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns \(info.width) "
                    + "/Rows \(info.height) /BlackIs1 false >>",
                data: strip
            )
            let content = pdf.addStream(data: Array("q \(width) 0 0 \(height) 0 0 cm /Im0 Do Q\n".utf8))
            pageReferences.append(
                pdf.addObject(
                    "<< /Type /Page /Parent \(pagesReference) /MediaBox [0 0 \(width) \(height)] "
                        + "/Resources << /XObject << /Im0 \(image) >> >> /Contents \(content) >>"
                ))
        }
        let kids = pageReferences.map(\.description).joined(separator: " ")
        pdf.writeObject(pagesReference, "<< /Type /Pages /Kids [\(kids)] /Count \(pageReferences.count) >>")
        let catalog = pdf.addObject("<< /Type /Catalog /Pages \(pagesReference) >>")
        pdf.finish(root: catalog)
        try store(pdf.takeBytes(), at: output)
        return reader.pageCount
    }

    /// Writes under a temporary name, fsyncs, then renames into place (mode 0600).
    static func store(_ bytes: [UInt8], at path: String) throws(DocumentRejection) {
        let part = "\(path).\(getpid()).part"
        unlink(part)
        let descriptor = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DocumentRejection("cannot create the PDF (errno \(errno))") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = written == bytes.count && fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(part, path) == 0 else {
            unlink(part)
            throw DocumentRejection("cannot write the PDF")
        }
    }
}
