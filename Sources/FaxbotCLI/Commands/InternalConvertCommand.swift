import ArgumentParser
import FaxImaging

/// The conversion worker: the daemon runs `faxbot internal-convert JOB RESULT` in a child process
/// so an untrusted document is parsed outside the call-handling process, under memory and time
/// limits. Not for people; hidden from help.
struct InternalConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "internal-convert", abstract: "Conversion worker (started by the daemon).", shouldDisplay: false)

    @Argument(help: "The conversion job as JSON.")
    var job: String

    @Argument(help: "Where to write the outcome as JSON.")
    var result: String

    func run() throws {
        let status = ConversionWorker.main(jobJSON: job, resultPath: result)
        if status != 0 { throw ExitCode(status) }
    }
}
