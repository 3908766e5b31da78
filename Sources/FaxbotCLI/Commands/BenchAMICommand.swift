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
                _ = try await phase(transport, &reports, count: min(20, faxes), label: "warm-up")
                let quiet = try await phase(transport, &reports, count: faxes, label: "quiet")
                let floodStart = simulator.floodEventCount
                let started = ContinuousClock.now
                simulator.startFlood(eventsPerSecond: flood)
                let flooded = try await phase(transport, &reports, count: faxes, label: "flooded")
                simulator.stopFlood()
                let seconds = Self.seconds(ContinuousClock.now - started)
                let delivered = simulator.floodEventCount - floodStart
                print(
                    String(
                        format: "flood: %d unrelated events in %.2f s = %.0f events/s on the session", delivered, seconds, Double(delivered) / seconds
                    ))
                print("phase     faxes  median ms  p95 ms  faxes/s")
                for (name, times) in [("quiet", quiet), ("flooded", flooded)] {
                    let figures = String(
                        format: "  %5d  %9.2f  %6.2f  %7.1f", times.count, Self.percentile(times, 0.5), Self.percentile(times, 0.95),
                        Double(times.count) / (times.reduce(0, +) / 1000))
                    print(name.padding(toLength: 8, withPad: " ", startingAt: 0) + figures)
                }
                print(String(format: "ratio flooded/quiet (median latency): %.2f", Self.percentile(flooded, 0.5) / Self.percentile(quiet, 0.5)))
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

        /// Sends `count` faxes one after another; each one's time from submit to its result, in ms.
        private func phase(
            _ transport: AsteriskTransport, _ reports: inout AsyncStream<TransportReport>.Iterator, count: Int, label: String
        ) async throws -> [Double] {
            var times: [Double] = []
            let number = try PhoneNumber(parsing: "+15551230000")
            for _ in 0..<count {
                let job = JobID.make()
                let request = TransmissionRequest(
                    jobID: job, attempt: 1, to: number, documentPath: "/tmp/bench.tif", documentKind: .tiff, pagesTotal: 2)
                let started = ContinuousClock.now
                _ = try await transport.submit(request)
                while let report = await reports.next() {
                    guard report.ref.jobID == job else { continue }
                    guard case .completed(pagesSent: 2) = report.event else {
                        print("error: \(label) fax ended with \(report.event)")
                        throw ExitCode(1)
                    }
                    break
                }
                times.append(Self.seconds(ContinuousClock.now - started) * 1000)
            }
            return times
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        static func percentile(_ values: [Double], _ fraction: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        }
    }
}
