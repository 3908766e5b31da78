import Foundation
import GRDB

/// The embedded database: one SQLite file in WAL mode with `synchronous=FULL`, so a committed
/// transaction survives a power cut. Migrated on open.
public struct SQLiteDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        // Create a new file owner-only before SQLite opens it: SQLite gives the -wal and -shm files
        // the mode of the database file, and the WAL holds recent rows until a checkpoint.
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Migrations.migrator.migrate(pool)
            self.writer = pool
        } catch {
            throw .database("cannot open database: \(error)")
        }
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// An in-memory database, migrated: for tests of SQL behaviour without files.
    public static func inMemory() throws(StoreError) -> SQLiteDatabase {
        do {
            let queue = try DatabaseQueue()
            try Migrations.migrator.migrate(queue)
            return SQLiteDatabase(writer: queue)
        } catch {
            throw .database("cannot create in-memory database: \(error)")
        }
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            return try writer.read { db in try Migrations.migrator.appliedMigrations(db) }
        } catch {
            throw .database("\(error)")
        }
    }

    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.write(updates)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(value)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }
}

extension Date {
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
