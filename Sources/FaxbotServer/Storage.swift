import FaxbotStore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The data directory: database, spool and the locally generated pepper.
public struct Storage: Sendable {
    public let database: SQLiteDatabase
    public let spool: Spool

    /// Creates the data directory (0700) if needed, opens and migrates the database, prepares the spool.
    public static func open(_ config: FaxbotConfig) throws -> Storage {
        do {
            try FileManager.default.createDirectory(
                atPath: config.dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError(description: "cannot create the data directory \(config.dataDir): \(error.localizedDescription)")
        }
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: config.resolvedDatabasePath)
        } catch {
            throw StartupError(description: "cannot open the database \(config.resolvedDatabasePath): \(error)")
        }
        let spool: Spool
        do {
            spool = try Spool(directory: config.spoolDir)
        } catch {
            throw StartupError(description: "cannot create the spool \(config.spoolDir): \(error.localizedDescription)")
        }
        return Storage(database: database, spool: spool)
    }

    /// The pepper for API-key HMACs when `FAXBOT_SESSION_PEPPER` is not set: 32 random bytes kept
    /// in `<data_dir>/session-pepper` (0600), created on first use.
    public static func localPepper(dataDir: String, logger: Logger) throws -> String {
        let path = (dataDir as NSString).appendingPathComponent("session-pepper")
        if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8), text.count >= 32 {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var generator = SystemRandomNumberGenerator()
        let pepper = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw StartupError(description: "cannot create \(path)")
        }
        defer { close(fd) }
        _ = pepper.withCString { write(fd, $0, strlen($0)) }
        fsync(fd)
        logger.notice("FAXBOT_SESSION_PEPPER is not set; generated one in the data directory")
        return pepper
    }
}
