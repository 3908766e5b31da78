import FaxbotCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// Rate limits as a client sees them: headers on every answer, 429 with Retry-After, one bucket
/// per caller, health checks exempt.
@Suite struct RateLimitAPITests {
    static func get(_ client: some TestClientProtocol, _ path: String, key: String?) async throws -> (HTTPResponse.Status, HTTPFields, [String: Any])
    {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("X-API-Key")!] = key }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            (response.status, response.headers, Self.json(response.body))
        }
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    static let limit = HTTPField.Name("X-RateLimit-Limit")!
    static let remaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let reset = HTTPField.Name("X-RateLimit-Reset")!

    @Test func aBurstGetsHeadersThenA429WithRetryAfter() async throws {
        // 120 requests a minute (v3's MAX_REQUESTS_PER_MINUTE): 2 per second, bursts of 2.
        let daemon = try await TestDaemon.make { $0.rateLimitRPM = 120 }
        try await daemon.withClient { client in
            let (s1, h1, _) = try await Self.get(client, "/fax", key: TestDaemon.key)
            #expect(s1 == .ok)
            #expect(h1[Self.limit] == "2")
            #expect(h1[Self.remaining] == "1")
            #expect(h1[Self.reset] == "1")
            let (s2, h2, _) = try await Self.get(client, "/fax", key: TestDaemon.key)
            #expect(s2 == .ok)
            #expect(h2[Self.remaining] == "0")
            let (s3, h3, body) = try await Self.get(client, "/fax", key: TestDaemon.key)
            #expect(s3 == .tooManyRequests)
            #expect(body["detail"] as? String == "Rate limit exceeded")
            #expect(h3[.retryAfter] == "1")
            #expect(h3[Self.remaining] == "0")
            #expect(h3[.contentType] == "application/json")
            // Health checks are never limited.
            let (health, healthHeaders, _) = try await Self.get(client, "/health", key: nil)
            #expect(health == .ok)
            #expect(healthHeaders[Self.limit] == nil)
            // Another caller has its own bucket: a wrong key still gets its 401, not a 429.
            let (other, _, _) = try await Self.get(client, "/fax", key: "wrong-key")
            #expect(other == .unauthorized)
            // Time refills the bucket.
            daemon.clock.advance(by: 1)
            let (s4, _, _) = try await Self.get(client, "/fax", key: TestDaemon.key)
            #expect(s4 == .ok)
        }
    }

    @Test func withoutALimitNoHeadersAreAdded() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, headers, _) = try await Self.get(client, "/fax", key: TestDaemon.key)
            #expect(status == .ok)
            #expect(headers[Self.limit] == nil)
        }
    }

    @Test func theCallerIsWhoTheKeyClaimsToBe() {
        let middleware = RateLimitMiddleware<BasicRequestContext>(limiter: RateLimiter(rate: 1, clock: ManualClock()), bootstrapKey: "boot")
        func caller(_ key: String?) -> String {
            var headers = HTTPFields()
            if let key { headers[HTTPField.Name("X-API-Key")!] = key }
            return middleware.caller(headers)
        }
        #expect(caller(nil) == "anonymous")
        #expect(caller("boot") == "env")
        #expect(caller("fbk_live_0123456789ab_secret") == "key:0123456789ab")
        #expect(caller("fbk_live_0123456789ab_other") == "key:0123456789ab")
        #expect(caller("guess") == "invalid")
    }
}
