import Foundation
import Synchronization
import Testing

@testable import FaxbotCore

@Suite struct ManualClockTests {
    /// Yields until `clock` has `count` sleepers, giving up after a bounded number of yields.
    static func waitForSleepers(_ clock: ManualClock, count: Int, maxYields: Int = 100_000) async -> Bool {
        for _ in 0..<maxYields {
            if clock.sleeperCount == count { return true }
            await Task.yield()
        }
        return clock.sleeperCount == count
    }

    /// Records which sleepers have woken, in order.
    final class WakeLog: Sendable {
        private let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var all: [String] { names.withLock { $0 } }
    }

    // MARK: time

    @Test func startsAtAFixedTime() {
        #expect(ManualClock().now() == Date(timeIntervalSince1970: 1_800_000_000))
        let start = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(ManualClock(now: start).now() == start)
    }

    @Test func keepsTimeToTheMillisecond() {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_700_000_000.123_4))
        #expect(clock.now() == Date(timeIntervalSince1970: 1_700_000_000.123))
        clock.advance(by: 0.000_6)
        #expect(clock.now() == Date(timeIntervalSince1970: 1_700_000_000.124))
    }

    @Test func advanceMovesTimeForward() {
        let clock = ManualClock()
        let start = clock.now()
        clock.advance(by: 90)
        #expect(clock.now() == start.addingTimeInterval(90))
        clock.advance(by: 0)
        #expect(clock.now() == start.addingTimeInterval(90))
        clock.advance(by: 3_600)
        #expect(clock.now() == start.addingTimeInterval(3_690))
    }

    @Test func roundingToMilliseconds() {
        #expect(Date(timeIntervalSince1970: 10.000_4).roundedToMilliseconds == Date(timeIntervalSince1970: 10))
        #expect(Date(timeIntervalSince1970: 10.000_6).roundedToMilliseconds == Date(timeIntervalSince1970: 10.001))
        let exact = Date(timeIntervalSince1970: 1_800_000_000.5)
        #expect(exact.roundedToMilliseconds == exact)
        let system = SystemClock().now()
        #expect(system.roundedToMilliseconds == system)
    }

    // MARK: sleeping

    @Test func aSleeperWakesOnlyOnceTheDeadlinePasses() async throws {
        let clock = ManualClock()
        let log = WakeLog()
        #expect(clock.sleeperCount == 0)
        let sleeper = Task {
            try await clock.sleep(for: 10)
            log.append("woke")
        }
        #expect(await Self.waitForSleepers(clock, count: 1))
        clock.advance(by: 5)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: 4.999)
        #expect(clock.sleeperCount == 1)
        #expect(log.all.isEmpty)
        clock.advance(by: 0.001)
        #expect(clock.sleeperCount == 0)
        try await sleeper.value
        #expect(log.all == ["woke"])
    }

    @Test func oneBigAdvanceWakesASleeperPastItsDeadline() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: 1) }
        #expect(await Self.waitForSleepers(clock, count: 1))
        clock.advance(by: 3_600)
        #expect(clock.sleeperCount == 0)
        try await sleeper.value
    }

    @Test func sleepersWakeByTheirOwnDeadlines() async throws {
        let clock = ManualClock()
        let log = WakeLog()
        let short = Task {
            try await clock.sleep(for: 5)
            log.append("short")
        }
        #expect(await Self.waitForSleepers(clock, count: 1))
        let long = Task {
            try await clock.sleep(for: 10)
            log.append("long")
        }
        #expect(await Self.waitForSleepers(clock, count: 2))
        clock.advance(by: 5)
        #expect(clock.sleeperCount == 1)
        try await short.value
        #expect(log.all == ["short"])
        clock.advance(by: 5)
        #expect(clock.sleeperCount == 0)
        try await long.value
        #expect(log.all == ["short", "long"])
    }

    @Test func theDeadlineCountsFromWhenTheSleepBegan() async throws {
        let clock = ManualClock()
        clock.advance(by: 100)
        let sleeper = Task { try await clock.sleep(for: 10) }
        #expect(await Self.waitForSleepers(clock, count: 1))
        clock.advance(by: 9)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: 1)
        #expect(clock.sleeperCount == 0)
        try await sleeper.value
    }

    @Test(arguments: [0, -1, -3_600] as [TimeInterval])
    func aSleepOfNoTimeReturnsAtOnce(seconds: TimeInterval) async throws {
        let clock = ManualClock()
        try await clock.sleep(for: seconds)
        #expect(clock.sleeperCount == 0)
        #expect(clock.now() == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func usableAsAWallClock() async throws {
        let manual = ManualClock()
        let clock: any WallClock = manual
        #expect(clock.now() == manual.now())
        let sleeper = Task { try await clock.sleep(for: 60) }
        #expect(await Self.waitForSleepers(manual, count: 1))
        manual.advance(by: 60)
        try await sleeper.value
        #expect(clock.now() == Date(timeIntervalSince1970: 1_800_000_060))
    }

    // MARK: cancellation

    @Test func cancelingASleeperThrowsCancellationError() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: 3_600) }
        #expect(await Self.waitForSleepers(clock, count: 1))
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
        #expect(clock.now() == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func sleepingInACanceledTaskThrowsAtOnce() async {
        let clock = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: 60)
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancelingOneSleeperLeavesTheOthersAsleep() async throws {
        let clock = ManualClock()
        let log = WakeLog()
        let canceled = Task {
            try await clock.sleep(for: 10)
            log.append("canceled")
        }
        #expect(await Self.waitForSleepers(clock, count: 1))
        let kept = Task {
            try await clock.sleep(for: 10)
            log.append("kept")
        }
        #expect(await Self.waitForSleepers(clock, count: 2))
        canceled.cancel()
        await #expect(throws: CancellationError.self) { try await canceled.value }
        #expect(clock.sleeperCount == 1)
        clock.advance(by: 10)
        try await kept.value
        #expect(log.all == ["kept"])
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancelingAfterWakingChangesNothing() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: 1) }
        #expect(await Self.waitForSleepers(clock, count: 1))
        clock.advance(by: 1)
        try await sleeper.value
        sleeper.cancel()
        #expect(clock.sleeperCount == 0)
    }
}
