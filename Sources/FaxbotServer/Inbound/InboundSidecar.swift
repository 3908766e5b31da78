import FaxTransports
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `faxbot inbound submit` leaves next to a received TIFF (`<stem>.json`) when the daemon
/// cannot be reached: the PBX's report, for the daemon to ingest when it starts or next scans
/// the spool. Its presence also says the TIFF is complete.
public struct InboundSidecar: Codable, Sendable, Equatable {
    public var version = 1
    public var transport: String
    public var callID: String
    /// The TIFF's file name (no directory): the sidecar always sits next to it.
    public var file: String
    public var from: String?
    public var to: String?
    /// `SUCCESS` or `FAILED`.
    public var status: String
    public var pages: Int?
    public var writtenAt: String?

    enum CodingKeys: String, CodingKey {
        case version, transport, file, from, to, status, pages
        case callID = "call_id"
        case writtenAt = "written_at"
    }

    public init(
        transport: String, callID: String, file: String, from: String?, to: String?, succeeded: Bool, pages: Int?, writtenAt: Date
    ) {
        self.transport = transport
        self.callID = callID
        self.file = file
        self.from = from
        self.to = to
        self.status = succeeded ? "SUCCESS" : "FAILED"
        self.pages = pages
        self.writtenAt = RFC3339.string(writtenAt)
    }

    /// The sidecar's name for a TIFF name: the stem plus `.json` (`1700000000.42.tif` → `1700000000.42.json`).
    public static func name(forTIFF tiffName: String) -> String { stem(tiffName) + ".json" }

    /// A file name without its `.tif` / `.tiff` extension.
    public static func stem(_ name: String) -> String {
        let lower = name.lowercased()
        for suffix in [".tiff", ".tif"] where lower.hasSuffix(suffix) && lower.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// The report as the ingestor takes it, for the TIFF at `tiffPath`.
    public func call(tiffPath: String) -> InboundCall {
        InboundCall(
            transport: transport, callID: callID, tiffPath: tiffPath, from: from, to: to, succeeded: status.uppercased() == "SUCCESS",
            pages: pages
        )
    }

    /// Writes the sidecar next to `tiffPath` atomically (temporary dot file, fsync, rename, fsync
    /// of the directory), with `mode`. Returns the sidecar's path.
    public func write(nextTo tiffPath: String, mode: mode_t) throws -> String {
        let directory = (tiffPath as NSString).deletingLastPathComponent
        let target = (directory as NSString).appendingPathComponent(Self.name(forTIFF: (tiffPath as NSString).lastPathComponent))
        let temporary = (directory as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).\(getpid()).tmp")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = Array(try encoder.encode(self))
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw SidecarWriteError(errno: errno) }
        // The umask must not take away the group's read bit when the spool needs it.
        fchmod(fd, mode)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = written == bytes.count && fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, target) == 0 else {
            let error = errno
            unlink(temporary)
            throw SidecarWriteError(errno: error)
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        return target
    }
}

public struct SidecarWriteError: Error, CustomStringConvertible, Sendable {
    public var errno: Int32
    public var description: String { String(cString: strerror(errno)) }
}
