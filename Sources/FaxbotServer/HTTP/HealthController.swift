import Foundation
import Hummingbird

/// Health, no key needed (the v3 SDK's `check_health()` sends none; probes carry none):
/// `GET /health` liveness, `GET /health/ready` readiness with reasons, `GET /health/providers`
/// each transport's circuit breaker and last check. None of them shows PHI.
struct HealthController<Context: RequestContext> {
    let readiness: Readiness
    let monitor: ProviderHealthMonitor

    /// healthy: breaker closed and the last check passed; down: breaker open; degraded: between.
    static func summary(_ status: ProviderHealthMonitor.Status) -> String {
        switch status.breaker {
        case .open: "down"
        case .halfOpen: "degraded"
        case .closed: status.lastCheckOK == false ? "degraded" : "healthy"
        }
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/health") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
        router.get("/health/ready") { _, _ in
            let report = await readiness.check()
            let body: [String: AnyJSON] = [
                "status": .string(report.ready ? "ready" : "not_ready"),
                "checks": .object(report.checks.mapValues { .string($0) }),
                "reasons": .array(report.reasons.map { .string($0) }),
            ]
            return try JSONResponse.make(body, status: report.ready ? .ok : .serviceUnavailable)
        }
        router.get("/health/providers") { _, _ in
            let providers: [AnyJSON] = monitor.statuses().map { status in
                .object([
                    "id": .string(status.id),
                    "status": .string(Self.summary(status)),
                    "breaker": .string(status.breaker.rawValue),
                    "consecutive_failures": .number(Double(status.consecutiveFailures)),
                    "last_check_at": status.lastCheckAt.map { .string(RFC3339.string($0)) } ?? .null,
                    "last_check_ok": status.lastCheckOK.map { .bool($0) } ?? .null,
                    "last_error": status.lastError.map { .string($0) } ?? .null,
                ])
            }
            return try JSONResponse.make(["providers": AnyJSON.array(providers)])
        }
    }
}
