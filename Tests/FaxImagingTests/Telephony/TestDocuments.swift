import Foundation

/// Builds fax test inputs at test time: a hand-written text PDF rendered by the `gs` CLI.
enum TestDocuments {
    /// A fresh scratch directory for one test.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faximaging-telephony-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a Letter-size PDF with one page of Helvetica text per entry of `pages`;
    /// the 1-based pages in `landscape` are 792 × 612 pt instead of 612 × 792.
    static func writeTextPDF(to url: URL, pages: [[String]], landscape: Set<Int> = []) throws {
        var objects: [String] = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var kids: [String] = []
        for (index, lines) in pages.enumerated() {
            let mediaBox = landscape.contains(index + 1) ? "[0 0 792 612]" : "[0 0 612 792]"
            var stream = "BT /F1 14 Tf 72 540 Td 18 TL\n"
            for line in lines {
                let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                    .replacingOccurrences(of: ")", with: "\\)")
                stream += "(\(escaped)) Tj T*\n"
            }
            stream += "ET\n0 0 0 RG 4 w 72 72 m 540 300 l S\n"
            let pageNumber = objects.count + 1
            kids.append("\(pageNumber) 0 R")
            objects.append(
                "<< /Type /Page /Parent 2 0 R /MediaBox \(mediaBox) /Resources << /Font << /F1 3 0 R >> >> /Contents \(pageNumber + 1) 0 R >>"
            )
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)endstream")
        }
        objects[1] = "<< /Type /Pages /Kids [\(kids.joined(separator: " "))] /Count \(pages.count) >>"
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            pdf += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n"
        }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        try Data(pdf.utf8).write(to: url)
    }

    /// A three-page text document.
    static let threePages: [[String]] = (1...3).map { page in
        (1...30).map { line in "Faxbot loopback test, page \(page) of 3, line \(line): THE QUICK BROWN FOX 0123456789" }
    }

    /// Renders `pdf` with the `gs` CLI and returns the output TIFF's URL.
    static func render(_ pdf: URL, to output: URL, device: String = "tiffg4", resolution: String = "204x196", extra: [String] = [])
        throws -> URL
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gs")
        process.arguments =
            ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=\(device)", "-r\(resolution)"] + extra
            + ["-sOutputFile=\(output.path)", pdf.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output.path) else {
            throw GhostscriptFailed(status: process.terminationStatus)
        }
        return output
    }

    /// Runs a command-line tool and throws if it fails.
    static func runTool(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GhostscriptFailed(status: process.terminationStatus) }
    }

    /// Options that give exactly 1728-pixel Letter pages for any input page.
    static let fitLetter = ["-sPAPERSIZE=letter", "-dFIXEDMEDIA", "-dPDFFitPage"]

    /// The fixture set shared by the tests in one scratch directory.
    struct Fixtures {
        let directory: URL
        let pdf: URL
        /// 3 pages, 204 × 196 dpi, G4.
        let fine: URL
        /// 3 pages, 204 × 98 dpi, G4.
        let standard: URL

        init() throws {
            directory = try TestDocuments.scratchDirectory()
            pdf = directory.appendingPathComponent("letter3.pdf")
            try TestDocuments.writeTextPDF(to: pdf, pages: TestDocuments.threePages)
            fine = try TestDocuments.render(pdf, to: directory.appendingPathComponent("fine.tif"), extra: TestDocuments.fitLetter)
            standard = try TestDocuments.render(
                pdf,
                to: directory.appendingPathComponent("standard.tif"),
                resolution: "204x98",
                extra: TestDocuments.fitLetter
            )
        }

        /// An 8-bit grayscale rendering (not faxable).
        func grayscale() throws -> URL {
            try TestDocuments.render(pdf, to: directory.appendingPathComponent("gray.tif"), device: "tiffgray", resolution: "102x98")
        }

        /// A 1734-pixel-wide fax rendering (Letter without width adjustment; not faxable).
        func wide1734() throws -> URL {
            try TestDocuments.render(pdf, to: directory.appendingPathComponent("wide.tif"), extra: ["-dAdjustWidth=0", "-sPAPERSIZE=letter"])
        }

        /// A 2-page fax rendering whose landscape page 2 comes out 2244 pixels wide (no `-dPDFFitPage`).
        func landscapeSecondPage() throws -> URL {
            let mixed = directory.appendingPathComponent("mixed.pdf")
            try TestDocuments.writeTextPDF(to: mixed, pages: Array(TestDocuments.threePages.prefix(2)), landscape: [2])
            return try TestDocuments.render(mixed, to: directory.appendingPathComponent("mixed.tif"))
        }

        /// A path inside the scratch directory for an output file.
        func output(_ name: String) -> URL {
            directory.appendingPathComponent(name)
        }

        /// Removes the scratch directory.
        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// The `gs` CLI (or another tool) exited with an error or wrote no file.
struct GhostscriptFailed: Error {
    let status: Int32
}
