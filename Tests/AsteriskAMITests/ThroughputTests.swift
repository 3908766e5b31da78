import AMISimulator
import AsteriskAMI
import Foundation
import Testing

/// Throughput figures; run with `AMI_BENCH=1 swift test -c release --filter Throughput`.
@Suite("Throughput", .serialized, .enabled(if: ProcessInfo.processInfo.environment["AMI_BENCH"] == "1"))
struct ThroughputTests {
    @Test("decoder messages per second over the fixtures")
    func decoder() {
        let fixtures = AMIFixture.allCases.map(\.bytes)
        let packets = fixtures.map { decodeAll([$0[...]]).frames.count }.reduce(0, +)
        let bytes = fixtures.map(\.count).reduce(0, +)
        let rounds = 200
        let clock = ContinuousClock()
        var frames = 0
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for data in fixtures {
                    var decoder = AMIDecoder()
                    decoder.append(data)
                    while let frame = try? decoder.next() {
                        _ = frame
                        frames += 1
                    }
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(frames == packets * rounds)
        print(
            "BENCH decoder: \(frames) frames, \(bytes * rounds) bytes in \(String(format: "%.3f", seconds)) s = "
                + "\(Int(Double(frames) / seconds)) msgs/s, \(String(format: "%.1f", Double(bytes * rounds) / seconds / 1e6)) MB/s"
        )
    }

    @Test("simulator flood → AMIConnection → filtered subscriber", arguments: [20_000, 100_000, 1_000_000])
    func session(rate: Int) async throws {
        try await withSession(SessionSettings(logEvents: ["none"])) { connection, _, simulator in
            let counter = EventLog(connection.subscribe { $0.event == "VarSet" && $0["Variable"] == "FLOODCOUNTER" })
            let clock = ContinuousClock()
            simulator.startFlood(eventsPerSecond: rate)
            let start = clock.now
            try await Task.sleep(for: .seconds(3))
            simulator.stopFlood()
            let emitted = simulator.floodEventCount
            let elapsed = clock.now - start
            _ = try? await counter.wait("drain", timeout: .seconds(5)) { $0.count >= emitted / 2 ? true : nil }
            let delivered = counter.items.filter { if case .event = $0 { true } else { false } }.count
            let overflow = counter.items.reduce(0) { if case .overflow(let n) = $1 { $0 + n } else { $0 } }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "BENCH session rate=\(rate): simulator emitted \(emitted) events (\(Int(Double(emitted) / seconds))/s); "
                    + "filtered subscriber got \(delivered) of \(emitted / 2) matching, overflow \(overflow)"
            )
        }
    }
}
