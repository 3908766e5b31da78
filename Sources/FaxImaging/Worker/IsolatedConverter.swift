import Foundation

/// Converts documents in child processes of the same binary (`<executable> internal-convert`),
/// each bounded in wall time and memory, at most `concurrentWorkers` at once.
///
/// A crash, hang or memory blow-up in a child rejects that one document with a reason; the
/// daemon, which never parses an untrusted document itself, carries on.
public struct IsolatedConverter: Sendable {
    public let executable: String
    public let limits: ConversionLimits
    private let limiter: AsyncLimiter

    /// - Parameter executable: the `faxbot` binary; the daemon passes its own (`/proc/self/exe`).
    public init(executable: String, limits: ConversionLimits = ConversionLimits()) {
        self.executable = executable
        self.limits = limits
        self.limiter = AsyncLimiter(limit: limits.concurrentWorkers)
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
        guard let json = try? JSONEncoder().encode(job) else { return .unavailable(reason: "the conversion request cannot be encoded") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["internal-convert", String(decoding: json, as: UTF8.self), resultPath]
        // One malloc arena keeps the address-space limit about the document, not about threads.
        process.environment = ["MALLOC_ARENA_MAX": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exit = ProcessExit()
        process.terminationHandler = { exit.finish($0.terminationReason == .uncaughtSignal, $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            return .unavailable(reason: "the conversion worker could not be started")
        }
        let pid = process.processIdentifier
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
            return .rejected(reason: crashReason(signal: status))
        }
        guard status == 0, let data = FileManager.default.contents(atPath: resultPath),
            let outcome = try? JSONDecoder().decode(ConversionOutcome.self, from: data)
        else {
            cleanUp(job, worker: pid)
            return .rejected(reason: "the converter stopped on this document (exit status \(status))")
        }
        return outcome
    }

    private func crashReason(signal: Int32) -> String {
        let megabytes = limits.memoryBytes >> 20
        switch signal {
        case SIGXCPU: return "the document used more than \(limits.wallSeconds) s of processor time to render and was stopped"
        case SIGXFSZ: return "the rendered document grew larger than any fax and was stopped"
        case SIGABRT, SIGTRAP, SIGILL, SIGSEGV, SIGBUS:
            return "the converter crashed on this document (signal \(signal)); it may need more than the \(megabytes) MiB memory limit"
        default: return "the converter was stopped by signal \(signal) while rendering this document"
        }
    }

    /// Removes what a worker that did not finish may have left.
    private func cleanUp(_ job: ConversionJob, worker pid: Int32) {
        var paths = [job.faxTIFF, "\(job.faxTIFF).\(pid).gs", "\(job.faxTIFF).\(pid).part", "\(job.faxTIFF).\(pid).txt.pdf"]
        if let pdf = job.pdf { paths += [pdf, "\(pdf).\(pid).part", "\(pdf).\(pid).tif", "\(pdf).\(pid).tif.\(pid).part"] }
        for path in paths { unlink(path) }
    }
}

/// Bridges a process's termination handler (any thread) to one async waiter.
private final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var result: (signaled: Bool, status: Int32)?
    private var timedOut = false
    private var waiter: CheckedContinuation<(Bool, Int32, Bool), Never>?

    func finish(_ signaled: Bool, _ status: Int32) {
        lock.lock()
        result = (signaled, status)
        let waiter = self.waiter
        self.waiter = nil
        let timedOut = self.timedOut
        lock.unlock()
        waiter?.resume(returning: (signaled, status, timedOut))
    }

    func markTimedOut() {
        lock.lock()
        if result == nil { timedOut = true }
        lock.unlock()
    }

    func wait() async -> (Bool, Int32, Bool) {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(returning: (result.signaled, result.status, timedOut))
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
