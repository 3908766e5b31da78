import FaxImaging
import FaxTransports
import FaxbotStore
import Foundation

/// `GET /health/ready`: can this daemon take and send faxes right now? Each check is cheap and
/// parses no document: the database answers, the spool takes a durable write, Ghostscript is
/// loadable, the conversion worker binary is there, and no transport's breaker is open.
struct Readiness: Sendable {
    let store: any JobStore
    let spool: Spool
    let converterExecutable: String
    let monitor: ProviderHealthMonitor
    /// Each transport's own live check (AMI session logged in, …), asked on every probe.
    var transports: [any FaxTransport] = []

    struct Report: Sendable, Equatable {
        var checks: [String: String]
        var reasons: [String]
        var ready: Bool { reasons.isEmpty }
    }

    func check() async -> Report {
        var checks: [String: String] = [:]
        var reasons: [String] = []
        func record(_ name: String, _ failure: String?) {
            checks[name] = failure == nil ? "ok" : "failed"
            if let failure { reasons.append(failure) }
        }
        do {
            _ = try await store.list(JobQuery(limit: 1))
            record("database", nil)
        } catch {
            record("database", "the database does not answer")
        }
        record("spool", spool.probeWrite() ? nil : "the document spool cannot be written")
        record("ghostscript", GhostscriptRun.revision() == nil ? "Ghostscript cannot be loaded" : nil)
        record(
            "converter",
            FileManager.default.isExecutableFile(atPath: converterExecutable) ? nil : "the conversion worker binary is missing")
        var live: [String: String] = [:]
        for transport in transports {
            if case .unhealthy(let reason) = await transport.checkHealth() { live[transport.id] = reason }
        }
        for status in monitor.statuses() {
            if let reason = live[status.id] {
                record("transport:\(status.id)", "transport '\(status.id)' is unavailable: \(reason)")
                continue
            }
            record(
                "transport:\(status.id)",
                status.breaker == .open ? "transport '\(status.id)' is unavailable (circuit breaker open: \(status.lastError ?? "failures"))" : nil)
        }
        return Report(checks: checks, reasons: reasons)
    }
}
