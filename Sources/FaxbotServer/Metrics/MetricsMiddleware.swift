import Hummingbird

/// Counts and times every request by method, route template and status.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: FaxbotMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        func record(_ status: Int) {
            // The matched template (`/fax/{id}`), never the raw path; unmatched paths share one label.
            let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : Self.template($0) } ?? "unmatched"
            metrics.request(method: request.method.rawValue, route: route, status: status, duration: ContinuousClock.now - started)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch {
            record(500)
            throw error
        }
    }

    /// Hummingbird's `/fax/:id` as `/fax/{id}`.
    static func template(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }
}
