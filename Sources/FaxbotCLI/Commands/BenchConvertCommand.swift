import ArgumentParser
import FaxImaging
import FaxbotCore
import Foundation

extension BenchCommand {
    /// `faxbot bench convert`: the isolated pipeline against the bare `gs` CLI, same arguments, same run.
    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time PDF → TIFF-F per job: Faxbot's isolated worker (render, verify, normalise, spandsp page check) "
                + "against the bare gs CLI with the same arguments, alternating runs.")

        @Option(help: "Document sizes in pages, comma-separated.")
        var pages: String = "1,10,100"

        @Option(help: "Runs per size and contender (the 100-page size runs a third as often, at least 2).")
        var runs: Int = 12

        @Option(help: "The gs binary to compare with.")
        var gs: String = "/usr/bin/gs"

        func run() async throws {
            let sizes = pages.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 1000 }), runs >= 1 else {
                print("error: --pages takes sizes from 1 to 1000, --runs at least 1")
                throw ExitCodes.usage
            }
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-bench-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(atPath: work) }
            let converter = IsolatedConverter(executable: IsolatedConverter.currentExecutable, limits: ConversionLimits(concurrentWorkers: 1))
            print("pages  runs  faxbot ms/job  gs CLI ms/job  faxbot pages/s  gs pages/s  ratio faxbot/gs")
            for size in sizes {
                let pdf = (work as NSString).appendingPathComponent("bench-\(size).pdf")
                try BenchPDF.write(pages: size, to: pdf)
                let count = size >= 100 ? max(2, runs / 3) : runs
                var ours: [Double] = []
                var theirs: [Double] = []
                // One warm-up each, then alternate so both see the same machine load.
                for round in 0...count {
                    let output = (work as NSString).appendingPathComponent("out.tif")
                    let started = ContinuousClock.now
                    let outcome = await converter.convert(ConversionJob(input: pdf, kind: .pdf, faxTIFF: output))
                    let ourTime = Self.milliseconds(ContinuousClock.now - started)
                    guard outcome == .converted(pages: size) else {
                        print("error: the pipeline gave \(outcome) for \(size) page(s)")
                        throw ExitCode(1)
                    }
                    let cliTime = try runGhostscript(pdf: pdf, output: output, pages: size)
                    if round > 0 {
                        ours.append(ourTime)
                        theirs.append(cliTime)
                    }
                }
                let a = Self.median(ours)
                let b = Self.median(theirs)
                print(
                    String(
                        format: "%5d  %4d  %13.1f  %13.1f  %14.1f  %10.1f  %15.2f", size, count, a, b, Double(size) / a * 1000,
                        Double(size) / b * 1000, a / b))
            }
            print("medians; faxbot's time includes starting the worker process, Ghostscript, verification, Class F and t4_tx.")
        }

        private func runGhostscript(pdf: String, output: String, pages: Int) throws -> Double {
            unlink(output)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: gs)
            process.arguments = BenchPDF.cliArguments(pdf: pdf, output: output)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let started = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            let elapsed = Self.milliseconds(ContinuousClock.now - started)
            guard process.terminationStatus == 0 else {
                print("error: gs exited \(process.terminationStatus)")
                throw ExitCode(1)
            }
            return elapsed
        }

        static func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }
    }
}

/// Text PDFs for the conversion benchmark: every page full of Helvetica text, as a referral letter is.
enum BenchPDF {
    /// The arguments Faxbot's worker gives gsapi, minus its page-count probe.
    static func cliArguments(pdf: String, output: String) -> [String] {
        let full = PDFToFaxTIFF.arguments(pdf: pdf, output: output, resolution: .fine, paper: .letter)
        var arguments: [String] = []
        var index = 0
        while index < full.count {
            if full[index] == "-c" || full[index] == "-f" {
                index += 2
                continue
            }
            if !full[index].hasPrefix("--permit-file-read") { arguments.append(full[index]) }
            index += 1
        }
        return arguments + [pdf]
    }

    static func write(pages: Int, to path: String) throws {
        try data(pages: pages).write(to: URL(fileURLWithPath: path))
    }

    static func data(pages: Int) -> Data {
        var pdf = PDFWriter()
        let tree = pdf.reserveObject()
        let font = pdf.addObject("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        var kids: [PDFObjectReference] = []
        for page in 1...pages {
            var stream = "BT /F1 11 Tf 54 740 Td 13 TL\n"
            for line in 1...52 { stream += "(Page \(page) line \(line): patient referral, please see the attached results 0123456789.) Tj T*\n" }
            let content = pdf.addStream(data: Array((stream + "ET\n").utf8))
            kids.append(
                pdf.addObject(
                    "<< /Type /Page /Parent \(tree) /MediaBox [0 0 612 792] /Resources << /Font << /F1 \(font) >> >> /Contents \(content) >>"))
        }
        pdf.writeObject(tree, "<< /Type /Pages /Kids [\(kids.map(\.description).joined(separator: " "))] /Count \(pages) >>")
        let catalog = pdf.addObject("<< /Type /Catalog /Pages \(tree) >>")
        pdf.finish(root: catalog)
        return Data(pdf.takeBytes())
    }
}
