import FaxbotCore
import Foundation
import GRDB

/// ``KeyStore`` on SQLite.
public struct SQLiteKeyStore: KeyStore {
    private let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func insert(_ key: APIKeyRecord) async throws(StoreError) {
        try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_keys WHERE key_id = ?", arguments: [key.keyID]) == true {
                throw StoreError.duplicate("api key \(key.keyID)")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_keys (key_id, name, secret_hmac, scopes, created_at, last_used_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.keyID, key.name, key.secretHMAC, key.scopes.map(\.rawValue).sorted().joined(separator: " "),
                    key.createdAt.millis, key.lastUsedAt?.millis, key.revokedAt?.millis,
                ]
            )
        }
    }

    public func key(id: String) async throws(StoreError) -> APIKeyRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_id = ?", arguments: [id]).map(Self.record)
        }
    }

    public func keys() async throws(StoreError) -> [APIKeyRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, key_id").map(Self.record)
        }
    }

    public func revoke(id: String, at: Date) async throws(StoreError) -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", arguments: [at.millis, id])
            return db.changesCount > 0
        }
    }

    public func touch(id: String, at: Date) async throws(StoreError) {
        try await database.write { db in
            try db.execute(sql: "UPDATE api_keys SET last_used_at = ? WHERE key_id = ?", arguments: [at.millis, id])
        }
    }

    public func activeKeyCount() async throws(StoreError) -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL") ?? 0
        }
    }

    public func keyCount() async throws(StoreError) -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys") ?? 0
        }
    }

    private static func record(_ row: Row) -> APIKeyRecord {
        let scopes = (row["scopes"] as String).split(separator: " ").compactMap { Scope(rawValue: String($0)) }
        return APIKeyRecord(
            keyID: row["key_id"], name: row["name"], secretHMAC: row["secret_hmac"], scopes: Set(scopes),
            createdAt: Date(millis: row["created_at"]), lastUsedAt: (row["last_used_at"] as Int64?).map(Date.init(millis:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millis:))
        )
    }
}
