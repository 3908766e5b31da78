import ArgumentParser
import FaxImaging
import Foundation

/// `faxbot`: the daemon and the tools that talk to it.
public struct FaxbotCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "faxbot",
        abstract: "Telephony-edge fax daemon: T.38 via Asterisk/FreeSWITCH, cloud fax providers, one job state machine.",
        subcommands: [
            ServeCommand.self, SendCommand.self, StatusCommand.self, CancelCommand.self, ListCommand.self, InboundCommand.self, KeysCommand.self,
            ConfigCommand.self, BenchCommand.self, SelftestCommand.self, InternalConvertCommand.self,
        ]
    )

    public init() {}
}

/// Exit codes shared by every command.
enum ExitCodes {
    /// The daemon answered with an error (4xx/5xx).
    static let rejected = ExitCode(1)
    /// Bad usage or configuration.
    static let usage = ExitCode(2)
    /// The daemon could not be reached.
    static let unreachable = ExitCode(3)
}

/// The executable's entry point.
public func faxbotMain() async {
    // Everything Faxbot writes (database, WAL, documents, journal) is for its own user only.
    umask(0o077)
    // A conversion worker that died leaves a closed pipe: writing to it must fail, not kill the daemon.
    signal(SIGPIPE, SIG_IGN)
    // The conversion worker runs on the main thread before any concurrency machinery starts: under
    // its memory limit, a runtime that could not start a thread must not be able to hang it.
    if CommandLine.arguments.dropFirst().first == InternalConvertCommand.configuration.commandName {
        exit(ConversionWorker.main())
    }
    await FaxbotCommand.main()
}
