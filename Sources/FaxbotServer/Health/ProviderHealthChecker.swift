import FaxTransports
import FaxbotCore
import ServiceLifecycle

/// Runs every transport's own check every `checkInterval` and feeds the results to the monitor.
struct ProviderHealthChecker: Service {
    let monitor: ProviderHealthMonitor
    let transports: [any FaxTransport]
    let clock: any WallClock

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                for transport in transports {
                    monitor.recordCheck(transport.id, await transport.checkHealth())
                }
                guard (try? await clock.sleep(for: monitor.settings.checkInterval)) != nil else { return }
            }
        }
    }
}
