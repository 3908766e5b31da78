import ESLSimulator
import Foundation
import FreeSWITCHESL
import Testing

/// Throughput figures; run with `ESL_BENCH=1 swift test -c release --filter Throughput`.
extension ESLTests {
    @Suite("Throughput", .serialized, .enabled(if: ProcessInfo.processInfo.environment["ESL_BENCH"] == "1"))
    struct ThroughputTests {
        @Test("decoder + event parsing, events per second over the fixtures")
        func decoder() throws {
            let fixtures = ESLFixture.allCases.map(\.bytes)
            let events = ESLFixture.allCases.map { $0.events.count }.reduce(0, +)
            let bytes = fixtures.map(\.count).reduce(0, +)
            let rounds = 300
            let clock = ContinuousClock()
            var parsed = 0
            let elapsed = try clock.measure {
                for _ in 0..<rounds {
                    for data in fixtures {
                        var decoder = ESLDecoder()
                        decoder.append(data)
                        while let frame = try decoder.next() {
                            if case .event = try ESLMessage(frame) { parsed += 1 }
                        }
                    }
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            #expect(parsed == events * rounds)
            print(
                "BENCH decoder: \(parsed) events, \(bytes * rounds) bytes in \(String(format: "%.3f", seconds)) s = "
                    + "\(Int(Double(parsed) / seconds)) events/s, \(String(format: "%.1f", Double(bytes * rounds) / seconds / 1e6)) MB/s"
            )
        }

        @Test("simulator flood → ESLConnection → filtered subscriber", arguments: [20_000, 100_000, 400_000])
        func session(rate: Int) async throws {
            try await withSession(SessionSettings(logFilter: { _ in false })) { connection, _, simulator in
                let counter = EventLog(connection.subscribe { $0.name == "CHANNEL_HANGUP_COMPLETE" })
                let clock = ContinuousClock()
                simulator.startFlood(eventsPerSecond: rate)
                let start = clock.now
                try await Task.sleep(for: .seconds(3))
                simulator.stopFlood()
                let emitted = simulator.floodEventCount
                _ = try? await counter.wait("drain", timeout: .seconds(10)) { $0.count >= emitted / 2 ? true : nil }
                let elapsed = clock.now - start
                let delivered = counter.items.filter { if case .event = $0 { true } else { false } }.count
                let overflow = counter.items.reduce(0) { if case .overflow(let n) = $1 { $0 + n } else { $0 } }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(
                    "BENCH session rate=\(rate): simulator emitted \(emitted) events in 3 s; all decoded and filtered by the session "
                        + "within \(String(format: "%.2f", seconds)) s (\(Int(Double(emitted) / seconds)) events/s end to end); "
                        + "filtered subscriber got \(delivered) of \(emitted / 2) matching, overflow \(overflow)"
                )
            }
        }
    }
}
