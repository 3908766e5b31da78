import FaxImaging
import Foundation
import Testing

@Suite("FaxLoopback")
struct FaxLoopbackTests {
    let fixtures: TestDocuments.Fixtures

    init() throws {
        fixtures = try TestDocuments.Fixtures()
    }

    @Test("a 3-page fine document arrives OK and pixel-identical", arguments: FaxLoopback.Mode.allCases, [false, true])
    func transfersFine(mode: FaxLoopback.Mode, ecm: Bool) async throws {
        defer { fixtures.remove() }
        let output = fixtures.output("rx-\(mode.rawValue)-\(ecm).tif")
        let call = FaxLoopback(mode: mode, inputPath: fixtures.fine.path, outputPath: output.path, ecm: ecm)
        let outcome = try await call.runOnDedicatedThread()
        Self.report(outcome)
        #expect(outcome.transmitter == .ok)
        #expect(outcome.receiver == .ok)
        #expect(outcome.pagesSent == 3)
        #expect(outcome.pagesReceived == 3)
        #expect(outcome.pagesInFile == 3)
        #expect(outcome.succeeded)
        #expect(!outcome.timedOut)
        #expect(outcome.ecmUsed == ecm)
        #expect(outcome.bitRate == 14_400)
        #expect(outcome.mode == mode && outcome.ecm == ecm)
        let comparison = try TIFFPixelComparison.pagesEqual(fixtures.fine.path, output.path)
        #expect(comparison == PixelComparison(pagesInFirst: 3, pagesInSecond: 3, firstDifferingPage: nil))
    }

    @Test("a standard-resolution document at V.29 arrives OK and pixel-identical")
    func transfersStandardAtV29() throws {
        defer { fixtures.remove() }
        let output = fixtures.output("rx-standard.tif")
        let result = try FaxLoopback(mode: .audio, inputPath: fixtures.standard.path, outputPath: output.path, modems: .v29).run()
        Self.report(result)
        #expect(result.succeeded)
        #expect(result.bitRate == 9_600)
        #expect(try TIFFPixelComparison.pagesEqual(fixtures.standard.path, output.path).identical)
    }

    @Test("a 1734-pixel page fails with T30_ERR_NOSIZESUPPORT without hanging", arguments: FaxLoopback.Mode.allCases)
    func rejectsWidth(mode: FaxLoopback.Mode) throws {
        defer { fixtures.remove() }
        let wide = try fixtures.wide1734()
        let call = FaxLoopback(mode: mode, inputPath: wide.path, outputPath: fixtures.output("rx-wide.tif").path, timeLimit: .seconds(120))
        let result = try call.run()
        Self.report(result)
        #expect(result.transmitter == .noSizeSupport)
        #expect(!result.receiver.isOK)
        #expect(result.pagesSent == 0 && result.pagesReceived == 0)
        #expect(!result.succeeded)
        #expect(!result.timedOut)
        #expect(result.transmitter.text.isEmpty == false)
    }

    @Test("a missing input file fails with T30_ERR_FILEERROR")
    func missingInput() throws {
        defer { fixtures.remove() }
        let call = FaxLoopback(mode: .t38, inputPath: fixtures.output("nope.tif").path, outputPath: fixtures.output("rx.tif").path)
        let result = try call.run()
        Self.report(result)
        #expect(result.transmitter == .fileError)
        #expect(!result.succeeded)
    }

    @Test("a short time limit ends the call with a non-OK code", arguments: FaxLoopback.Mode.allCases)
    func timeLimit(mode: FaxLoopback.Mode) throws {
        defer { fixtures.remove() }
        let output = fixtures.output("rx-limited.tif")
        let call = FaxLoopback(mode: mode, inputPath: fixtures.fine.path, outputPath: output.path, timeLimit: .seconds(5))
        let result = try call.run()
        Self.report(result)
        #expect(result.timedOut)
        #expect(!result.transmitter.isOK)
        #expect(!result.receiver.isOK)
        #expect(!result.succeeded)
        #expect(result.simulatedSeconds <= 5.02)
    }

    @Test("the tick cap ends the call even if the time limit is never reached")
    func tickCap() throws {
        defer { fixtures.remove() }
        let call = FaxLoopback(
            mode: .audio,
            inputPath: fixtures.fine.path,
            outputPath: fixtures.output("rx-capped.tif").path,
            timeLimit: .seconds(3600),
            maximumTicks: 100
        )
        let result = try call.run()
        Self.report(result)
        #expect(!result.succeeded)
        #expect(result.simulatedSeconds == 2)
        #expect(result.transmitter == .callDropped)
    }

    @Test("cancelling the awaiting task hangs the call up")
    func cancellation() async throws {
        defer { fixtures.remove() }
        let call = FaxLoopback(mode: .audio, inputPath: fixtures.fine.path, outputPath: fixtures.output("rx-cancelled.tif").path)
        let task = Task { try await call.runOnDedicatedThread() }
        task.cancel()
        let result = try await task.value
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.simulatedSeconds < 100)
    }

    /// Prints a one-line summary when FAXIMAGING_REPORT is set (used to collect timings).
    static func report(_ result: LoopbackResult) {
        guard ProcessInfo.processInfo.environment["FAXIMAGING_REPORT"] != nil else { return }
        print(
            "loopback \(result.mode.rawValue) ecm=\(result.ecm): \(result.transmitter) / \(result.receiver), "
                + "\(result.pagesSent)/\(result.pagesReceived) pages, \(result.bitRate) bit/s, \(result.encoding ?? "-"), "
                + "\(result.simulatedSeconds) s simulated, CPU \(result.cpuTime)"
        )
    }
}
