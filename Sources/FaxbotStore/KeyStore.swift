import FaxbotCore
import Foundation

/// A stored API key. The secret itself is never stored, only its HMAC.
public struct APIKeyRecord: Sendable, Equatable {
    public var keyID: String
    public var name: String
    /// Hex HMAC-SHA256 of the secret under the server's pepper.
    public var secretHMAC: String
    public var scopes: Set<Scope>
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        keyID: String, name: String, secretHMAC: String, scopes: Set<Scope>, createdAt: Date, lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.keyID = keyID
        self.name = name
        self.secretHMAC = secretHMAC
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

public protocol KeyStore: Sendable {
    func insert(_ key: APIKeyRecord) async throws(StoreError)
    func key(id: String) async throws(StoreError) -> APIKeyRecord?
    func keys() async throws(StoreError) -> [APIKeyRecord]
    /// Returns false when there is no such key or it was already revoked.
    func revoke(id: String, at: Date) async throws(StoreError) -> Bool
    func touch(id: String, at: Date) async throws(StoreError)
    /// Keys that are not revoked.
    func activeKeyCount() async throws(StoreError) -> Int
    /// Every key ever stored, revoked ones included.
    func keyCount() async throws(StoreError) -> Int
}
