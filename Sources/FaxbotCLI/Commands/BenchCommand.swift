import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the daemon and the document pipeline.", subcommands: [Submit.self, Convert.self, AMI.self, ESL.self])

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drive POST /fax with N concurrent clients; print throughput and latency percentiles.")

        @Option(help: "Concurrent clients.")
        var clients: Int = 16

        @Option(help: "Requests in all.")
        var requests: Int = 1000

        @Option(help: "Destination (use a test-transport number; 0000 delivers).")
        var to: String = "+10000000000"

        @OptionGroup var client: ClientOptions

        func run() async throws {
            guard clients >= 1, requests >= 1 else {
                print("error: clients and requests must be at least 1")
                throw ExitCodes.usage
            }
            var body = MultipartBody()
            body.field("to", to)
            body.file("file", filename: "bench.pdf", contentType: "application/pdf", BenchDocument.pdf)
            let payload = body.finished()
            let headers = [("Content-Type", body.contentType)]
            let counter = BenchCounter(total: requests)
            let started = ContinuousClock.now
            // One connection per client, so no request waits behind another in the client.
            let results = try await DaemonClient.with(client, connections: clients) { daemon in
                try await withThrowingTaskGroup(of: [(Duration, Int)].self) { group in
                    for _ in 0..<clients {
                        group.addTask {
                            var samples: [(Duration, Int)] = []
                            while await counter.take() {
                                let begin = ContinuousClock.now
                                let reply = try await daemon.send(.POST, "/fax", body: payload, headers: headers)
                                samples.append((ContinuousClock.now - begin, reply.status))
                            }
                            return samples
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let latencies = results.map { Double($0.0.components.seconds) * 1000 + Double($0.0.components.attoseconds) / 1e15 }.sorted()
            let accepted = results.filter { $0.1 == 202 }.count
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            print("requests     \(results.count) (\(accepted) accepted with 202, \(results.count - accepted) other)")
            print("clients      \(clients)")
            print(String(format: "elapsed      %.2f s", seconds))
            print(String(format: "throughput   %.1f submissions/s", Double(results.count) / seconds))
            print(
                String(
                    format: "latency ms   p50 %.1f  p95 %.1f  p99 %.1f  max %.1f", percentile(0.50), percentile(0.95), percentile(0.99),
                    latencies.last ?? 0))
            if accepted != results.count { throw ExitCodes.rejected }
        }
    }
}

actor BenchCounter {
    private var remaining: Int

    init(total: Int) { remaining = total }

    func take() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

/// A one-page PDF for the benchmark: well formed, so the daemon's pipeline renders it as it
/// would a real referral letter.
enum BenchDocument {
    static let pdf = BenchPDF.data(pages: 1)
}
