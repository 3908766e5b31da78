import ArgumentParser
import FaxImaging

/// The conversion worker: the daemon starts `faxbot internal-convert` ahead of need and hands it
/// one document as JSON on standard input, so an untrusted document is parsed outside the
/// call-handling process, under memory and time limits. Not for people; hidden from help.
struct InternalConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "internal-convert", abstract: "Conversion worker (started by the daemon).", shouldDisplay: false)

    func run() throws {
        let status = ConversionWorker.main()
        if status != 0 { throw ExitCode(status) }
    }
}
