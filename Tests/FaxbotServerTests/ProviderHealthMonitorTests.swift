import FaxTransports
import FaxbotCore
import Foundation
import Testing

@testable import FaxbotServer

/// The circuit breaker per transport, on a manual clock.
@Suite struct ProviderHealthMonitorTests {
    static func monitor(_ clock: ManualClock, threshold: Int = 3) -> ProviderHealthMonitor {
        var settings = ProviderHealthMonitor.Settings()
        settings.failureThreshold = threshold
        settings.coolDown = 60
        return ProviderHealthMonitor(transports: ["test", "other"], clock: clock, settings: settings)
    }

    @Test func consecutiveFailuresOpenTheBreakerAndACoolDownLetsAttemptsProbe() {
        let clock = ManualClock()
        let monitor = Self.monitor(clock)
        monitor.recordFailure("test", detail: "connection refused")
        monitor.recordFailure("test", detail: "connection refused")
        #expect(monitor.allowsAttempts("test"), "two of three failures: still closed")
        monitor.recordFailure("test", detail: "connection refused")
        #expect(!monitor.allowsAttempts("test"))
        #expect(monitor.statuses().first { $0.id == "test" }?.breaker == .open)
        #expect(monitor.allowsAttempts("other"), "breakers are per transport")
        clock.advance(by: 59)
        #expect(!monitor.allowsAttempts("test"))
        clock.advance(by: 1)
        #expect(monitor.allowsAttempts("test"))
        #expect(monitor.statuses().first { $0.id == "test" }?.breaker == .halfOpen)
        // The probe fails: open again for another cool-down.
        monitor.recordFailure("test", detail: "still refused")
        #expect(!monitor.allowsAttempts("test"))
        clock.advance(by: 60)
        #expect(monitor.allowsAttempts("test"))
        monitor.recordSuccess("test")
        let status = monitor.statuses().first { $0.id == "test" }
        #expect(status?.breaker == .closed)
        #expect(status?.consecutiveFailures == 0)
    }

    @Test func aSuccessResetsTheCount() {
        let monitor = Self.monitor(ManualClock())
        monitor.recordFailure("test", detail: "x")
        monitor.recordFailure("test", detail: "x")
        monitor.recordSuccess("test")
        monitor.recordFailure("test", detail: "x")
        monitor.recordFailure("test", detail: "x")
        #expect(monitor.allowsAttempts("test"))
    }

    @Test func aPassingCheckClosesAnOpenBreakerOnlyAfterTheCoolDown() {
        let clock = ManualClock()
        let monitor = Self.monitor(clock, threshold: 1)
        monitor.recordCheck("test", .unhealthy("journal not writable"))
        #expect(!monitor.allowsAttempts("test"))
        monitor.recordCheck("test", .healthy)
        #expect(!monitor.allowsAttempts("test"))
        clock.advance(by: 60)
        monitor.recordCheck("test", .healthy)
        let status = monitor.statuses().first { $0.id == "test" }
        #expect(status?.breaker == .closed)
        #expect(status?.lastCheckOK == true)
        #expect(status?.lastCheckAt == clock.now())
    }

    @Test func theDispatcherClaimsNothingForATransportWhoseBreakerIsOpen() async throws {
        let clock = ManualClock()
        let monitor = Self.monitor(clock, threshold: 1)
        let fixture = try DispatcherFixture(monitor: monitor, clock: clock)
        defer { fixture.removeFiles() }
        let job = try await fixture.submit("+15551230000")
        monitor.recordFailure("test", detail: "unreachable")
        #expect(await fixture.dispatcher.claimable().isEmpty)
        #expect(await fixture.status(job) == .queued)
        clock.advance(by: 60)
        #expect(await fixture.dispatcher.claimable().map(\.0.id) == [job.id])
    }
}
