import ArgumentParser
import ESLSimulator
import FaxTransports
import FaxbotCore
import Foundation
import FreeSWITCHESL
import Logging

extension BenchCommand {
    /// `faxbot bench esl`: fax handling over a real Event Socket session (in-repo simulator on
    /// loopback), quiet against a flood of unrelated events.
    struct ESL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "esl",
            abstract: "Time fax handling through the FreeSWITCH transport and its ESL session (simulator on 127.0.0.1), "
                + "on a quiet session and under a flood of unrelated events; print the ratio.")

        @Option(help: "Faxes per phase (each replays the real 2-page success stream).")
        var faxes: Int = 200

        @Option(help: "Unrelated events per second during the flooded phase.")
        var flood: Int = 10_000

        @Option(help: "The provider status map (cause table).")
        var statusMap: String = "config/provider_status_map.json"

        func run() async throws {
            guard faxes >= 1, flood >= 0 else {
                print("error: --faxes must be at least 1 and --flood at least 0")
                throw ExitCodes.usage
            }
            let table = try FreeSWITCHCauseTable.load(path: statusMap)
            let simulator = ESLSimulator(password: "bench")
            let port = try await simulator.start()
            var logger = Logger(label: "faxbot.bench")
            logger.logLevel = .error
            var session = ESLConfiguration(host: "127.0.0.1", port: port, password: "bench")
            session.subscriberBufferLimit = 100_000
            let connection = ESLConnection(configuration: session, logger: logger)
            var settings = FreeSWITCHSettings()
            settings.routes = [DialRoute(dialTemplate: "loopback/{number}/default", maxChannels: 1)]
            let transport = FreeSWITCHTransport(settings: settings, connection: connection, table: table, clock: SystemClock(), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await connection.run() }
                group.addTask { try await transport.run() }
                for _ in 0..<100 where connection.state != .connected { try await Task.sleep(for: .milliseconds(50)) }
                guard connection.state == .connected else {
                    print("error: the ESL session did not come up: \(connection.state)")
                    throw ExitCode(1)
                }
                var reports = transport.reports.makeAsyncIterator()
                _ = try await BenchStats.faxes(transport, &reports, count: min(20, faxes), label: "warm-up")
                let quiet = try await BenchStats.faxes(transport, &reports, count: faxes, label: "quiet")
                let floodStart = simulator.floodEventCount
                let started = ContinuousClock.now
                simulator.startFlood(eventsPerSecond: flood)
                let flooded = try await BenchStats.faxes(transport, &reports, count: faxes, label: "flooded")
                simulator.stopFlood()
                BenchStats.printFlood(delivered: simulator.floodEventCount - floodStart, since: started)
                BenchStats.printComparison(quiet: quiet, flooded: flooded)
                group.cancelAll()
            }
            await simulator.stop()
        }
    }
}
