import ArgumentParser
import FaxTransports
import FaxbotCore
import Foundation

/// Figures shared by the bench commands.
enum BenchStats {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    /// The flood rate the session actually carried.
    static func printFlood(delivered: Int, since started: ContinuousClock.Instant) {
        let elapsed = seconds(ContinuousClock.now - started)
        print(String(format: "flood: %d unrelated events in %.2f s = %.0f events/s on the session", delivered, elapsed, Double(delivered) / elapsed))
    }

    /// Per-fax latency of both phases and their ratio.
    static func printComparison(quiet: [Double], flooded: [Double]) {
        print("phase     faxes  median ms  p95 ms  faxes/s")
        for (name, times) in [("quiet", quiet), ("flooded", flooded)] {
            let figures = String(
                format: "  %5d  %9.2f  %6.2f  %7.1f", times.count, percentile(times, 0.5), percentile(times, 0.95),
                Double(times.count) / (times.reduce(0, +) / 1000))
            print(name.padding(toLength: 8, withPad: " ", startingAt: 0) + figures)
        }
        print(String(format: "ratio flooded/quiet (median latency): %.2f", percentile(flooded, 0.5) / percentile(quiet, 0.5)))
    }

    /// Sends `count` faxes one after another; each one's time from submit to its result, in ms.
    static func faxes(
        _ transport: any FaxTransport, _ reports: inout AsyncStream<TransportReport>.Iterator, count: Int, label: String
    ) async throws -> [Double] {
        var times: [Double] = []
        let number = try PhoneNumber(parsing: "+10000000000")
        for _ in 0..<count {
            let job = JobID.make()
            let request = TransmissionRequest(
                jobID: job, attempt: 1, to: number, documentPath: "/tmp/bench.tif", documentKind: .tiff, pagesTotal: 2)
            let started = ContinuousClock.now
            _ = try await transport.submit(request)
            while let report = await reports.next() {
                guard report.ref.jobID == job else { continue }
                if case .progress = report.event { continue }
                guard case .completed(pagesSent: 2) = report.event else {
                    print("error: \(label) fax ended with \(report.event)")
                    throw ExitCode(1)
                }
                break
            }
            times.append(seconds(ContinuousClock.now - started) * 1000)
        }
        return times
    }
}
