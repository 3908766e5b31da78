import ArgumentParser
import FaxImaging
import FaxbotCore
import Foundation

/// `faxbot selftest [FILE]`: the document pipeline and complete software fax calls, no line needed.
struct SelftestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Convert a document (or a built-in test page) to TIFF-F and fax it to itself: audio and T.38, with and without ECM.",
        discussion: "Exits 0 when every call completes with T30_ERR_OK and every page arrives pixel for pixel; 1 otherwise."
    )

    @Argument(help: "A PDF, text or TIFF file; default: a built-in test page.")
    var file: String?

    @Option(help: "fine (204×196) or standard (204×98).")
    var resolution: String = "fine"

    @Option(help: "letter or a4.")
    var paper: String = "letter"

    func run() async throws {
        guard let resolution = Resolution(rawValue: resolution), let paper = PaperSize(rawValue: paper) else {
            print("error: --resolution must be fine or standard, --paper letter or a4")
            throw ExitCodes.usage
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-selftest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: work) }
        let input = try file ?? writeTestPage(in: work)
        guard let kind = Self.sniff(input) else {
            print("error: \(file == nil ? "the test page" : "the file") is not a PDF, UTF-8 text or TIFF")
            throw ExitCodes.usage
        }
        let faxTIFF = (work as NSString).appendingPathComponent("document.tif")
        let converter = IsolatedConverter(executable: IsolatedConverter.currentExecutable)
        let job = ConversionJob(input: input, kind: kind, faxTIFF: faxTIFF, resolution: resolution, paper: paper)
        let pages: Int
        switch await converter.convert(job) {
        case .converted(let count):
            pages = count
            print("document     \(kind.rawValue) → TIFF-F, \(count) page(s), \(resolution.rawValue), checked with spandsp t4_tx")
        case .rejected(let reason):
            print("document     rejected: \(reason)")
            throw ExitCode(1)
        case .unavailable(let reason):
            print("error: the converter could not run: \(reason)")
            throw ExitCode(1)
        }
        let report = await FaxSelftest.run(faxTIFF: faxTIFF, pages: pages, workDirectory: work)
        for call in report.calls {
            let name = "\(call.mode == .t38 ? "T.38" : "audio") \(call.ecm ? "ECM" : "non-ECM")".padding(toLength: 16, withPad: " ", startingAt: 0)
            guard let result = call.result else {
                print("\(name) FAIL  \(call.problem ?? "")")
                continue
            }
            let line =
                "\(name) \(call.passed ? "OK  " : "FAIL")  \(result.bitRate) bit/s  ECM \(result.ecmUsed ? "used" : "off")  "
                + "pages \(result.pagesReceived)/\(pages)  result \(result.transmitter.code)/\(result.receiver.code) (\(result.transmitter.text))  "
                + "\(Int(result.simulatedSeconds)) s line time"
            print(line + (call.problem.map { "  — \($0)" } ?? ""))
        }
        print(report.passed ? "selftest passed" : "selftest FAILED")
        if !report.passed { throw ExitCode(1) }
    }

    static func sniff(_ path: String) -> DocumentKind? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var sniffer = DocumentSniffer()
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty { sniffer.feed(chunk) }
        if case .kind(let kind) = sniffer.verdict { return kind }
        return nil
    }

    private func writeTestPage(in directory: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent("testpage.txt")
        var text = "Faxbot selftest page\n\nGrüße aus der Praxis — café, naïve, Ωμέγα.\n\n"
        for line in 1...40 { text += "Line \(line): The quick brown fox jumps over the lazy dog 0123456789.\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
