import Foundation

/// A conversion worker process started ahead of need, waiting on its standard input for the one
/// document it will convert (`faxbot internal-convert`). Nothing identifying is on its command
/// line: the job arrives as JSON on the pipe.
// @unchecked: `process` is kept only so it lives as long as the worker; the input handle is
// written once, by the one conversion that took this worker from the pool.
final class StandbyWorker: @unchecked Sendable {
    private let process: Process
    private let input: FileHandle
    let exit: ProcessExit
    let pid: Int32

    /// The request a standby worker reads: the job and where its outcome goes.
    struct Handoff: Codable {
        var job: ConversionJob
        var result: String
    }

    private init(process: Process, input: FileHandle, exit: ProcessExit) {
        self.process = process
        self.input = input
        self.exit = exit
        self.pid = process.processIdentifier
    }

    static func spawn(executable: String) -> StandbyWorker? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["internal-convert"]
        // One malloc arena keeps the address-space limit about the document, not about threads.
        process.environment = ["MALLOC_ARENA_MAX": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exit = ProcessExit()
        process.terminationHandler = { exit.finish($0.terminationReason == .uncaughtSignal, $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            return nil
        }
        try? pipe.fileHandleForReading.close()
        return StandbyWorker(process: process, input: pipe.fileHandleForWriting, exit: exit)
    }

    var isRunning: Bool { !exit.hasExited }

    /// Gives the worker its document; false when it is gone (the daemon ignores SIGPIPE).
    func hand(_ job: ConversionJob, resultPath: String) -> Bool {
        guard var data = try? JSONEncoder().encode(Handoff(job: job, result: resultPath)) else { return false }
        data.append(0x0A)
        do {
            try input.write(contentsOf: data)
            try input.close()
            return true
        } catch {
            return false
        }
    }

    func kill() {
        _ = Foundation.kill(pid, SIGKILL)
        try? input.close()
    }
}
