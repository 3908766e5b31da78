import FaxbotCore
import Foundation

/// The conversion worker's side: runs inside the child process (`faxbot internal-convert`), where
/// a crash, hang or memory blow-up in Ghostscript or libtiff costs only this one document.
public enum ConversionWorker {
    /// Entry point of the child process: waits for its job on standard input (it may have been
    /// started long before), limits itself, converts, writes the outcome as JSON next to the
    /// job's fax file. Returns the process exit status (64: no usable job arrived).
    public static func main() -> Int32 {
        // Ctrl-C in a terminal is for the daemon, which drains; a service stop (SIGTERM) still ends the worker.
        signal(SIGINT, SIG_IGN)
        guard let line = readLine(from: FileHandle.standardInput, limit: 1 << 16),
            let handoff = try? JSONDecoder().decode(StandbyWorker.Handoff.self, from: line)
        else { return 64 }
        let job = handoff.job
        limitSelf(memoryBytes: job.memoryLimitBytes, cpuSeconds: job.cpuLimitSeconds)
        let outcome = perform(job)
        guard let encoded = try? JSONEncoder().encode(outcome), FileManager.default.createFile(atPath: handoff.result, contents: encoded) else {
            return 74
        }
        return 0
    }

    /// One newline-terminated line: the worker must not wait for end of file, which another
    /// process holding a copy of the pipe could delay.
    static func readLine(from input: FileHandle, limit: Int) -> Data? {
        var data = Data()
        while data.count <= limit {
            let chunk = input.availableData
            if chunk.isEmpty { return nil }
            data.append(chunk)
            if let newline = data.firstIndex(of: 0x0A) { return data[data.startIndex..<newline] }
        }
        return nil
    }

    /// Converts in this process. Only the worker process calls this with untrusted input.
    public static func perform(_ job: ConversionJob) -> ConversionOutcome {
        do {
            return .converted(pages: try convert(job))
        } catch {
            unlink(job.faxTIFF)
            if let pdf = job.pdf { unlink(pdf) }
            return .rejected(reason: error.reason)
        }
    }

    static func convert(_ job: ConversionJob) throws(DocumentRejection) -> Int {
        switch job.kind {
        case .pdf:
            let pages = try PDFToFaxTIFF.convert(pdf: job.input, output: job.faxTIFF, resolution: job.resolution, paper: job.paper)
            if let pdf = job.pdf { try copy(job.input, to: pdf) }
            return pages
        case .text:
            let rendered = "\(job.faxTIFF).\(getpid()).txt.pdf"
            defer { unlink(rendered) }
            do {
                _ = try TextToPDF(paper: job.paper, fontPath: job.fontPath).render(fileAt: job.input, to: rendered)
            } catch {
                throw DocumentRejection("the text could not be laid out: \(error)")
            }
            chmod(rendered, 0o600)
            let pages = try PDFToFaxTIFF.convert(pdf: rendered, output: job.faxTIFF, resolution: job.resolution, paper: job.paper)
            if let pdf = job.pdf, rename(rendered, pdf) != 0 { throw DocumentRejection("the PDF for the transport could not be stored") }
            return pages
        case .tiff:
            let pages = try TIFFToFaxTIFF.convert(tiff: job.input, output: job.faxTIFF, resolution: job.resolution)
            try checkForTheLine(job.faxTIFF, pages: pages)
            if let pdf = job.pdf { _ = try FaxTIFFToPDF.convert(faxTIFF: job.faxTIFF, output: pdf) }
            return pages
        }
    }

    /// The pre-dial page check: spandsp encodes every page as a call would, before any call.
    /// (PDF pages are checked one by one while Ghostscript renders; see ``PDFToFaxTIFF``.)
    static func checkForTheLine(_ faxTIFF: String, pages: Int) throws(DocumentRejection) {
        let checked: [CheckedPage]
        do {
            checked = try T4PageCheck.check(path: faxTIFF)
        } catch {
            throw DocumentRejection(error.description)
        }
        guard checked.count == pages else {
            throw DocumentRejection("the fax file has \(checked.count) pages for spandsp but \(pages) were rendered")
        }
    }

    /// Copies under a temporary name, then renames into place (mode 0600).
    static func copy(_ source: String, to destination: String) throws(DocumentRejection) {
        let part = "\(destination).\(getpid()).part"
        unlink(part)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: part)
            chmod(part, 0o600)
            guard rename(part, destination) == 0 else { throw DocumentRejection("rename failed") }
        } catch {
            unlink(part)
            throw DocumentRejection("the document could not be copied for the transport")
        }
    }

    /// Address-space, CPU-time, core-dump and output-size limits for this process. The memory
    /// bound is on top of what the process has mapped before it reads the document (about
    /// 250 MiB of libraries and thread stacks), so it is about the document, not the binary.
    static func limitSelf(memoryBytes: Int, cpuSeconds: Int) {
        let addressSpace = mappedBytes() + memoryBytes
        var memory = rlimit(rlim_cur: rlim_t(addressSpace), rlim_max: rlim_t(addressSpace))
        setrlimit(RLIMIT_AS_VALUE, &memory)
        var cpu = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 5))
        setrlimit(RLIMIT_CPU_VALUE, &cpu)
        var core = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(RLIMIT_CORE_VALUE, &core)
        var fileSize = rlimit(rlim_cur: 2 << 30, rlim_max: 2 << 30)
        setrlimit(RLIMIT_FSIZE_VALUE, &fileSize)
    }
}

extension ConversionWorker {
    /// This process's mapped address space (VmSize), 0 when unknown.
    static func mappedBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmSize:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

// Glibc imports the resource kinds as an enum on Linux; their raw values are what setrlimit takes.
#if os(Linux)
private let RLIMIT_AS_VALUE = __rlimit_resource_t(RLIMIT_AS.rawValue)
private let RLIMIT_CPU_VALUE = __rlimit_resource_t(RLIMIT_CPU.rawValue)
private let RLIMIT_CORE_VALUE = __rlimit_resource_t(RLIMIT_CORE.rawValue)
private let RLIMIT_FSIZE_VALUE = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#else
private let RLIMIT_AS_VALUE = RLIMIT_AS
private let RLIMIT_CPU_VALUE = RLIMIT_CPU
private let RLIMIT_CORE_VALUE = RLIMIT_CORE
private let RLIMIT_FSIZE_VALUE = RLIMIT_FSIZE
#endif
