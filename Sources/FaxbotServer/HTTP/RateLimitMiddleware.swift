import HTTPTypes
import Hummingbird

/// Limits each caller to ``RateLimiter``'s rate: 429 `Rate limit exceeded` (v3's words) with
/// `Retry-After` when the bucket is empty, and `X-RateLimit-Limit`, `-Remaining` and `-Reset` on
/// every answer it lets through. Health checks are never limited.
///
/// The caller is who the `X-API-Key` header claims to be, decided before authentication so a
/// flood costs no key lookups: the bootstrap key, a stored key's id (guessing one key's secret
/// is limited like any use of it), `anonymous` without a key, and one shared `invalid` bucket for
/// anything else.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let bootstrapKey: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/health" || path.hasPrefix("/health/") || path == "/metrics" || path.hasPrefix("/openapi.") {
            return try await next(request, context)
        }
        let decision = limiter.take(caller(request.headers))
        guard decision.allowed else { throw APIError.rateLimited(decision) }
        var response = try await next(request, context)
        response.headers.append(contentsOf: Self.headers(decision))
        return response
    }

    func caller(_ headers: HTTPFields) -> String {
        guard let token = headers[Authenticator.header], !token.isEmpty else { return "anonymous" }
        if let bootstrapKey, ConstantTime.equal(token, bootstrapKey) { return "env" }
        return APIKeyCodec.parse(token).map { "key:\($0.keyID)" } ?? "invalid"
    }

    static func headers(_ decision: RateLimiter.Decision) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-RateLimit-Limit")!] = "\(decision.limit)"
        fields[HTTPField.Name("X-RateLimit-Remaining")!] = "\(decision.remaining)"
        fields[HTTPField.Name("X-RateLimit-Reset")!] = "\(decision.resetSeconds)"
        if !decision.allowed { fields[.retryAfter] = "\(decision.retryAfterSeconds)" }
        return fields
    }
}
