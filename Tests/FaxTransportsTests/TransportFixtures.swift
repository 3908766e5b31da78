import FaxTransports
import FaxbotCore
import Foundation
import Testing

/// Shared values and helpers for the test transport tests. No test sleeps on the wall clock: time
/// moves only through `ManualClock.advance(by:)`, and effects are awaited on `reports`.
enum TransportFixture {
    static let stepDelay: TimeInterval = 1

    /// Job ids made of letters only, so no digit run in a journal can come from an id.
    static func jobID(_ letter: Character) -> String { String(repeating: letter, count: 32) }

    static func number(_ text: String) -> PhoneNumber {
        do {
            return try PhoneNumber(parsing: text)
        } catch {
            fatalError("fixture number \(text) did not parse: \(error.reason)")
        }
    }

    /// A destination whose last four digits are `lastFour`.
    static func destination(_ lastFour: String) -> PhoneNumber { number("+1555867" + lastFour) }

    static func request(_ jobID: String, attempt: Int = 1, lastFour: String = "0000", pages: Int = 3) -> TransmissionRequest {
        TransmissionRequest(
            jobID: jobID, attempt: attempt, to: destination(lastFour), documentPath: "/spool/\(jobID).pdf", documentKind: .pdf,
            pagesTotal: pages
        )
    }

    static func transport(clock: ManualClock, journalPath: String? = nil) -> TestTransport {
        TestTransport(configuration: TestTransportConfiguration(stepDelay: stepDelay, journalPath: journalPath), clock: clock)
    }

    /// The reference a report about attempt `attempt` of `jobID` carries.
    static func ref(_ jobID: String, attempt: Int = 1) -> AttemptRef {
        AttemptRef(jobID: jobID, attempt: attempt, providerSid: "test-\(jobID)-\(attempt)")
    }

    /// Yields until `clock` has `count` sleepers, giving up after a bounded number of yields.
    static func waitForSleepers(_ clock: ManualClock, count: Int, maxYields: Int = 1_000_000) async -> Bool {
        for _ in 0..<maxYields {
            if clock.sleeperCount == count { return true }
            await Task.yield()
        }
        return clock.sleeperCount == count
    }

    /// Waits until the simulated call is asleep on `clock`, then moves time past its step.
    static func advanceOneStep(_ clock: ManualClock, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try #require(await waitForSleepers(clock, count: 1), "no call asleep on the clock", sourceLocation: sourceLocation)
        clock.advance(by: stepDelay)
    }

    /// The next `count` reports, in order.
    static func next(
        _ count: Int,
        from reports: inout AsyncStream<TransportReport>.Iterator,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [TransportReport] {
        var received: [TransportReport] = []
        for _ in 0..<count {
            received.append(try #require(await reports.next(), "the report stream ended", sourceLocation: sourceLocation))
        }
        return received
    }

    /// A temporary journal file path in a fresh directory; whoever makes one removes the directory.
    struct Journal {
        let directory: URL
        var path: String { directory.appendingPathComponent("test-transport.journal").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-transport-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }

        func text() throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    }
}

extension TransmissionRequest {
    var ref: AttemptRef { TransportFixture.ref(jobID, attempt: attempt) }
}
