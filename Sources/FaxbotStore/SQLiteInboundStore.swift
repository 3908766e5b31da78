import Foundation
import GRDB

/// ``InboundStore`` on SQLite. The look-up and the insert of one call run in one write
/// transaction, and SQLite has one writer at a time, so a call is recorded once however many
/// reports of it race; `UNIQUE(transport, call_id)` guards the same rule in the schema.
public struct SQLiteInboundStore: InboundStore {
    private let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func insert(_ fax: InboundFax) async throws(StoreError) -> InboundInsertResult {
        try await database.write { db in
            if let existing = try Self.fetch(db, "transport = ? AND call_id = ?", [fax.transport, fax.callID]) {
                return .existing(existing)
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM inbound_faxes WHERE id = ?", arguments: [fax.id]) == true {
                throw StoreError.duplicate("inbound fax \(fax.id)")
            }
            try db.execute(
                sql: """
                    INSERT INTO inbound_faxes (id, transport, call_id, from_number, to_number, status, pages, size_bytes, sha256,
                      pdf_path, mailbox, error, remote_station_id, received_at, created_at, updated_at, retention_until, pdf_deleted_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    fax.id, fax.transport, fax.callID, fax.from, fax.to, fax.status.rawValue, fax.pages, fax.sizeBytes, fax.sha256,
                    fax.pdfPath, fax.mailbox, fax.error, fax.remoteStationID, fax.receivedAt.millis, fax.createdAt.millis,
                    fax.updatedAt.millis, fax.retentionUntil?.millis, fax.pdfDeletedAt?.millis,
                ]
            )
            return .created(fax)
        }
    }

    public func fax(id: String) async throws(StoreError) -> InboundFax? {
        try await database.read { db in try Self.fetch(db, "id = ?", [id]) }
    }

    public func fax(transport: String, callID: String) async throws(StoreError) -> InboundFax? {
        try await database.read { db in try Self.fetch(db, "transport = ? AND call_id = ?", [transport, callID]) }
    }

    public func list(_ query: InboundQuery) async throws(StoreError) -> [InboundFax] {
        try await database.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let to = query.to {
                clauses.append("to_number = ?")
                arguments += [to]
            }
            if let status = query.status {
                clauses.append("status = ?")
                arguments += [status.rawValue]
            }
            if let mailbox = query.mailbox {
                clauses.append("mailbox = ?")
                arguments += [mailbox]
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [max(0, query.limit)]
            return try Row.fetchAll(
                db, sql: "SELECT * FROM inbound_faxes \(filter) ORDER BY received_at DESC, id DESC LIMIT ?", arguments: arguments
            ).map(Self.fax)
        }
    }

    public func markPDFDeleted(id: String, at: Date) async throws(StoreError) -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE inbound_faxes SET pdf_deleted_at = ?, updated_at = ? WHERE id = ? AND pdf_deleted_at IS NULL",
                arguments: [at.millis, at.millis, id]
            )
            return db.changesCount > 0
        }
    }

    public func dueForRetention(now: Date, limit: Int) async throws(StoreError) -> [InboundFax] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM inbound_faxes
                    WHERE pdf_path IS NOT NULL AND pdf_deleted_at IS NULL AND retention_until IS NOT NULL AND retention_until <= ?
                    ORDER BY retention_until, id LIMIT ?
                    """,
                arguments: [now.millis, max(0, limit)]
            ).map(Self.fax)
        }
    }

    public func hasRecord(pdfPath: String) async throws(StoreError) -> Bool {
        try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM inbound_faxes WHERE pdf_path = ?", arguments: [pdfPath]) == true
        }
    }

    private static func fetch(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> InboundFax? {
        try Row.fetchOne(db, sql: "SELECT * FROM inbound_faxes WHERE \(condition)", arguments: arguments).map(fax)
    }

    private static func fax(_ row: Row) throws -> InboundFax {
        guard let status = InboundStatus(rawValue: row["status"]) else { throw StoreError.database("unknown status in inbound row") }
        return InboundFax(
            id: row["id"], transport: row["transport"], callID: row["call_id"], from: row["from_number"], to: row["to_number"],
            status: status, pages: row["pages"], sizeBytes: row["size_bytes"], sha256: row["sha256"], pdfPath: row["pdf_path"],
            mailbox: row["mailbox"], error: row["error"], remoteStationID: row["remote_station_id"],
            receivedAt: Date(millis: row["received_at"]), createdAt: Date(millis: row["created_at"]),
            updatedAt: Date(millis: row["updated_at"]), retentionUntil: (row["retention_until"] as Int64?).map(Date.init(millis:)),
            pdfDeletedAt: (row["pdf_deleted_at"] as Int64?).map(Date.init(millis:))
        )
    }
}
