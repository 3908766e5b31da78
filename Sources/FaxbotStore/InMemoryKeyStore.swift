import FaxbotCore
import Foundation

/// ``KeyStore`` in memory; for pure tests.
public actor InMemoryKeyStore: KeyStore {
    private var records: [String: APIKeyRecord] = [:]

    public init() {}

    public func insert(_ key: APIKeyRecord) throws(StoreError) {
        guard records[key.keyID] == nil else { throw .duplicate("api key \(key.keyID)") }
        records[key.keyID] = key
    }

    public func key(id: String) -> APIKeyRecord? { records[id] }

    public func keys() -> [APIKeyRecord] { records.values.sorted { ($0.createdAt, $0.keyID) < ($1.createdAt, $1.keyID) } }

    public func revoke(id: String, at: Date) -> Bool {
        guard var record = records[id], record.revokedAt == nil else { return false }
        record.revokedAt = at
        records[id] = record
        return true
    }

    public func touch(id: String, at: Date) {
        records[id]?.lastUsedAt = at
    }

    public func activeKeyCount() -> Int { records.values.filter { $0.revokedAt == nil }.count }

    public func keyCount() -> Int { records.count }
}
