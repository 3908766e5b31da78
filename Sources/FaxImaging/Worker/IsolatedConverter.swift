import Foundation

/// Converts documents in child processes of the same binary (`<executable> internal-convert`),
/// each bounded in wall time and memory, at most `concurrentWorkers` at once. Every document
/// gets a process of its own; processes are started ahead of need (see ``WorkerPool``), so a
/// document does not wait for one to start.
///
/// A crash, hang or memory blow-up in a child rejects that one document with a reason; the
/// daemon, which never parses an untrusted document itself, carries on.
public struct IsolatedConverter: Sendable {
    public let executable: String
    public let limits: ConversionLimits
    private let limiter: AsyncLimiter
    private let pool: WorkerPool

    /// - Parameter executable: the `faxbot` binary; the daemon passes its own (`/proc/self/exe`).
    ///
    /// Sets SIGPIPE to be ignored in this process: a worker that died leaves a closed pipe, and
    /// handing it a document must then fail, not kill the caller.
    public init(executable: String, limits: ConversionLimits = ConversionLimits()) {
        signal(SIGPIPE, SIG_IGN)
        self.executable = executable
        self.limits = limits
        self.limiter = AsyncLimiter(limit: limits.concurrentWorkers)
        self.pool = WorkerPool(executable: executable, spares: limits.concurrentWorkers)
    }

    /// The running binary, for the daemon to start its workers from.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Converts one document. Never throws: every failure is an outcome.
    public func convert(_ job: ConversionJob) async -> ConversionOutcome {
        var job = job
        job.memoryLimitBytes = limits.memoryBytes
        job.cpuLimitSeconds = limits.wallSeconds + 5
        let bounded = job
        return await limiter.withSlot { await run(bounded) }
    }

    private func run(_ job: ConversionJob) async -> ConversionOutcome {
        let resultPath = job.faxTIFF + ".result"
        unlink(resultPath)
        defer { unlink(resultPath) }
        guard let worker = await pool.worker() else { return .unavailable(reason: "the conversion worker could not be started") }
        guard worker.hand(job, resultPath: resultPath) else {
            worker.kill()
            return .unavailable(reason: "the conversion worker did not take the document")
        }
        let exit = worker.exit
        let pid = worker.pid
        let watchdog = Task {
            try await Task.sleep(for: limits.wallTime)
            exit.markTimedOut()
            kill(pid, SIGKILL)
        }
        let (signaled, status, timedOut) = await exit.wait()
        watchdog.cancel()
        if timedOut {
            cleanUp(job, worker: pid)
            return .rejected(reason: "the document took longer than \(limits.wallSeconds) s to render and was stopped")
        }
        if signaled {
            cleanUp(job, worker: pid)
            return outcome(signal: status)
        }
        guard status == 0, let data = FileManager.default.contents(atPath: resultPath),
            let outcome = try? JSONDecoder().decode(ConversionOutcome.self, from: data)
        else {
            cleanUp(job, worker: pid)
            return .rejected(reason: "the converter stopped on this document (exit status \(status))")
        }
        return outcome
    }

    /// A worker that died of a signal: the document's fault when the signal is one a document can
    /// cause (a crash, a resource limit); otherwise someone stopped it (a service stop, the kernel
    /// short of memory), which says nothing about the document: try again later.
    func outcome(signal: Int32) -> ConversionOutcome {
        let megabytes = limits.memoryBytes >> 20
        switch signal {
        case SIGXCPU: return .rejected(reason: "the document used more than \(limits.wallSeconds) s of processor time to render and was stopped")
        case SIGXFSZ: return .rejected(reason: "the rendered document grew larger than any fax and was stopped")
        case SIGABRT, SIGTRAP, SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGSYS:
            return .rejected(
                reason: "the converter crashed on this document (signal \(signal)); it may need more than the \(megabytes) MiB memory limit")
        default: return .unavailable(reason: "the conversion worker was stopped from outside (signal \(signal))")
        }
    }

    /// Removes what a worker that did not finish may have left.
    private func cleanUp(_ job: ConversionJob, worker pid: Int32) {
        var paths = [job.faxTIFF, "\(job.faxTIFF).\(pid).gs", "\(job.faxTIFF).\(pid).part", "\(job.faxTIFF).\(pid).txt.pdf"]
        if let pdf = job.pdf { paths += [pdf, "\(pdf).\(pid).part", "\(pdf).\(pid).tif", "\(pdf).\(pid).tif.\(pid).part"] }
        for path in paths { unlink(path) }
        try? FileManager.default.removeItem(atPath: "\(job.faxTIFF).\(pid).pages")
    }
}
