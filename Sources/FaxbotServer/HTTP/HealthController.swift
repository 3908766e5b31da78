import Hummingbird

/// `GET /health`: liveness, no key needed (the v3 SDK's `check_health()` sends none).
struct HealthController<Context: RequestContext> {
    func addRoutes(to router: Router<Context>) {
        router.get("/health") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
    }
}
