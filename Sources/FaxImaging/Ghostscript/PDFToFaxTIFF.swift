import FaxbotCore
import Foundation

/// PDF → TIFF-F with Ghostscript, verified and normalised to Class F.
///
/// Ghostscript reports success on corrupt, encrypted and empty PDFs and then writes nothing, so
/// nothing it says is trusted: the PDF's page count is read first, and its output must have that
/// many pages, each 1728 pixels wide, 1 bit per pixel, at the requested resolution.
public enum PDFToFaxTIFF {
    /// Converts `pdf` into a TIFF-F at `output`; returns the page count. Every page has passed
    /// the spandsp page check.
    public static func convert(pdf: String, output: String, resolution: Resolution, paper: PaperSize) throws(DocumentRejection) -> Int {
        try preflight(pdf)
        // Named by this process, so a stale worker of an earlier run never writes into it.
        let pagesDirectory = "\(output).\(getpid()).pages"
        guard mkdir(pagesDirectory, 0o700) == 0 else { throw DocumentRejection("cannot create the converter's work directory") }
        defer { try? FileManager.default.removeItem(atPath: pagesDirectory) }
        let checker = RenderedPageChecker(directory: pagesDirectory, resolution: resolution)
        checker.start()
        let outcome = GhostscriptRun.run(arguments(pdf: pdf, output: checker.outputPattern, resolution: resolution, paper: paper))
        let checked = checker.finish()
        let declared = declaredPages(in: outcome.output)
        guard outcome.succeeded else { throw DocumentRejection(reason(for: outcome)) }
        // Success with a decoder's fatal error means part of a page is missing: never fax that.
        if outcome.output.contains("FATAL ERROR") || outcome.output.contains("failed to allocate") {
            throw DocumentRejection("an image in the PDF could not be decoded within the converter's memory limit; its page would be incomplete")
        }
        guard let declared else { throw DocumentRejection("the PDF cannot be read: its page tree is missing or damaged") }
        guard declared > 0 else { throw DocumentRejection("the PDF has no pages") }
        let pages = try checked.get()
        guard !pages.isEmpty else { throw DocumentRejection("Ghostscript rendered nothing from the PDF (it is damaged or protected)") }
        guard pages.count == declared else {
            throw DocumentRejection("the PDF has \(declared) pages but only \(pages.count) could be rendered")
        }
        let writer = try FaxTIFFWriter.Session(path: output, total: declared)
        for page in pages {
            if let mmr = page.mmr {
                let info = page.info
                try writer.appendMMR(
                    mmr, width: info.width, height: info.height, xResolution: info.xResolution ?? 0, yResolution: info.yResolution ?? 0)
            } else if let image = page.image {
                try writer.append(image)
            }
        }
        try writer.finish()
        return declared
    }

    /// The Ghostscript arguments, as the `gs` CLI would take them (without the program name).
    public static func arguments(pdf: String, output: String, resolution: Resolution, paper: PaperSize) -> [String] {
        [
            "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dPDFSTOPONERROR", "-sDEVICE=tiffg4", resolution.ghostscriptArgument,
            "-sPAPERSIZE=\(paper.rawValue)", "-dFIXEDMEDIA", "-dPDFFitPage", "-sOutputFile=\(output)", "--permit-file-read=\(pdf)",
            // Prints the page count the PDF declares before rendering it, in the same instance.
            "-c", "(\(postScriptEscaped(pdf))) (r) file runpdfbegin (\(pagesMarker)) print pdfpagecount = flush runpdfend",
            "-f", pdf,
        ]
    }

    static let pagesMarker = "FAXBOT-PDF-PAGES: "

    static func declaredPages(in output: String) -> Int? {
        guard let range = output.range(of: pagesMarker) else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    /// Ghostscript's view of a 0-byte or non-PDF file is "success, nothing written": refuse those first.
    static func preflight(_ pdf: String) throws(DocumentRejection) {
        guard let handle = FileHandle(forReadingAtPath: pdf) else { throw DocumentRejection("the document cannot be opened") }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        guard !head.isEmpty else { throw DocumentRejection("the PDF is empty (0 bytes)") }
        guard head.range(of: Data("%PDF-".utf8)) != nil else { throw DocumentRejection("the file is not a PDF (no %PDF- header)") }
    }

    static func reason(for outcome: GhostscriptRun.Outcome) -> String {
        let text = outcome.output
        if text.contains("requires a password") || text.contains("password") && text.contains("ncrypt") {
            return "the PDF is protected by a password; send it without the password"
        }
        if outcome.code == -25 || text.contains("VMerror") {
            return "the PDF needs more memory to render than the converter may use"
        }
        let detail = text.split(separator: "\n").first { $0.contains("Error") }.map {
            ": " + String($0.trimmingCharacters(in: .whitespaces).prefix(160))
        }
        return "the PDF cannot be rendered (Ghostscript \(GhostscriptRun.errorName(outcome.code)))\(detail ?? "")"
    }

    static func postScriptEscaped(_ path: String) -> String {
        var escaped = ""
        for character in path {
            switch character {
            case "(", ")", "\\": escaped += "\\\(character)"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
