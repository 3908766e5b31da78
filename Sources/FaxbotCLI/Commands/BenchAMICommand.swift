import AMISimulator
import ArgumentParser
import AsteriskAMI
import FaxTransports
import FaxbotCore
import Foundation
import Logging

extension BenchCommand {
    /// `faxbot bench ami`: fax handling over a real AMI session (in-repo simulator on loopback),
    /// quiet against 10 000 unrelated events per second.
    struct AMI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ami",
            abstract: "Time fax handling through the Asterisk transport and its AMI session (simulator on 127.0.0.1), "
                + "on a quiet session and under a flood of unrelated events; print the ratio.")

        @Option(help: "Faxes per phase (each replays the real 2-page success stream, ~100 events).")
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
            let table = try AsteriskCauseTable.load(path: statusMap)
            let simulator = AMISimulator()
            let port = try await simulator.start()
            var logger = Logger(label: "faxbot.bench")
            logger.logLevel = .error
            var session = AMIConfiguration(host: "127.0.0.1", port: port, username: "faxbot", secret: "faxbot-secret")
            session.subscriberBufferLimit = 100_000
            let connection = AMIConnection(configuration: session, logger: logger)
            var settings = AsteriskSettings()
            settings.routes = [DialRoute(dialTemplate: "Local/{number}@faxbot-loop/n", maxChannels: 1)]
            let transport = AsteriskTransport(settings: settings, connection: connection, table: table, clock: SystemClock(), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await connection.run() }
                group.addTask { try await transport.run() }
                try await waitUntilConnected(connection)
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

        private func waitUntilConnected(_ connection: AMIConnection) async throws {
            for _ in 0..<100 where connection.state != .connected { try await Task.sleep(for: .milliseconds(50)) }
            guard connection.state == .connected else {
                print("error: the AMI session did not come up: \(connection.state)")
                throw ExitCode(1)
            }
        }

    }
}
