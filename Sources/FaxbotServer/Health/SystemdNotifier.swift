import FaxbotCore
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// systemd's `sd_notify` protocol without libsystemd: datagrams to `$NOTIFY_SOCKET`.
///
/// READY=1 once the daemon serves (after migrations, reconciliation and the transports' first
/// check); WATCHDOG=1 every half of `$WATCHDOG_USEC` while the process lives; STOPPING=1 when a
/// graceful shutdown begins. Without `$NOTIFY_SOCKET` it does nothing.
public struct SystemdNotifier: Sendable {
    let socketPath: String?
    let watchdogInterval: TimeInterval?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Double.init).map { $0 / 1_000_000 / 2 }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Sends one message; false when there is no socket or the send failed.
    @discardableResult
    public func notify(_ message: String) -> Bool {
        guard var path = socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // An abstract socket is written with a leading '@' and addressed with a leading NUL.
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count + (abstract ? 1 : 0) < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let offset = abstract ? 1 : 0
            for (index, byte) in bytes.enumerated() { raw[offset + index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 1 : 0))
        let sent = message.withCString { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, text, strlen(text), 0, $0, length) }
            }
        }
        return sent >= 0
    }
}

/// Keeps systemd's watchdog fed and says STOPPING=1 at graceful shutdown.
struct SystemdWatchdog: Service {
    let notifier: SystemdNotifier
    let clock: any WallClock

    func run() async throws {
        await withGracefulShutdownHandler {
            guard let interval = notifier.watchdogInterval else {
                // Nothing to feed: wait for the shutdown so STOPPING=1 is still sent.
                try? await gracefulShutdown()
                return
            }
            // systemd stops watching once the unit is stopping, so the pings end with the shutdown.
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    notifier.notify("WATCHDOG=1")
                    guard (try? await clock.sleep(for: interval)) != nil else { return }
                }
            }
        } onGracefulShutdown: {
            notifier.notify("STOPPING=1")
        }
    }
}
