import FaxbotCore
import FaxbotStore
import Foundation
import HTTPTypes
import Logging

/// Resolves `X-API-Key` to a ``Principal``.
///
/// Development mode — every caller anonymous — holds only while the daemon listens on loopback,
/// `API_KEY` and `REQUIRE_API_KEY` are unset, and no key was ever stored. Revoking the last stored
/// key does not reopen the API.
public struct Authenticator: Sendable {
    let bootstrapKey: String?
    let requireKey: Bool
    /// True when the daemon listens beyond loopback: a key is then always required.
    let exposed: Bool
    let keys: any KeyStore
    let codec: APIKeyCodec
    let clock: any WallClock
    let logger: Logger
    var metrics: FaxbotMetrics? = nil

    static let header = HTTPField.Name("X-API-Key")!

    public func authenticate(_ headers: HTTPFields) async throws(APIError) -> Principal {
        do {
            let principal = try await resolve(headers)
            metrics?.authAttempt(success: true)
            return principal
        } catch {
            metrics?.authAttempt(success: false)
            throw error
        }
    }

    private func resolve(_ headers: HTTPFields) async throws(APIError) -> Principal {
        guard let token = headers[Self.header], !token.isEmpty else {
            if try await isKeyRequired() { throw .unauthorized }
            return .anonymous
        }
        if let bootstrapKey, ConstantTime.equal(token, bootstrapKey) { return .bootstrap }
        guard let parsed = APIKeyCodec.parse(token) else { throw .unauthorized }
        let record: APIKeyRecord?
        do {
            record = try await keys.key(id: parsed.keyID)
        } catch {
            throw .internal
        }
        guard let record, record.revokedAt == nil, codec.verify(secret: parsed.secret, against: record) else {
            logger.notice("api key rejected", metadata: ["key_id": "\(parsed.keyID)"])
            throw .unauthorized
        }
        let now = clock.now()
        if record.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try? await keys.touch(id: record.keyID, at: now)
        }
        return Principal(id: record.keyID, scopes: record.scopes)
    }

    /// Authenticates and checks one scope.
    public func require(_ scope: Scope, _ headers: HTTPFields) async throws(APIError) -> Principal {
        let principal = try await authenticate(headers)
        guard principal.scopes.contains(scope) else { throw .insufficientScope(scope) }
        return principal
    }

    func isKeyRequired() async throws(APIError) -> Bool {
        if bootstrapKey != nil || requireKey || exposed { return true }
        do {
            return try await keys.keyCount() > 0
        } catch {
            throw .internal
        }
    }
}
