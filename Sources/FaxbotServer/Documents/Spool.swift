import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Where documents live: `<data_dir>/spool/<job id>.<ext>`, mode 0600, named by id and never by
/// a client's filename. Uploads stream into `spool/incoming/` first and are moved into place
/// only once complete and fsync'd, so a crash never leaves a half document under a job's name.
public struct Spool: Sendable {
    public let directory: String
    let incoming: String

    public init(directory: String) throws {
        self.directory = directory
        self.incoming = (directory as NSString).appendingPathComponent("incoming")
        for path in [directory, incoming] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    public func path(of relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }

    /// Starts a new upload file in `incoming/`.
    func beginUpload() throws(APIError) -> SpoolUpload {
        let path = (incoming as NSString).appendingPathComponent(UUID().uuidString.lowercased() + ".part")
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unavailable("Document storage is not writable") }
        return SpoolUpload(fd: fd, path: path)
    }

    /// Makes a finished upload the document of `jobID`: fsync the file, rename it, fsync the directory.
    func commit(_ upload: SpoolUpload, jobID: String, kind: DocumentKind) async throws(APIError) -> String {
        let relative = "\(jobID).\(kind.fileExtension)"
        let target = path(of: relative)
        let directory = directory
        let succeeded =
            (try? await NIOThreadPool.singleton.runIfActive { () -> Bool in
                let synced = fsync(upload.fd) == 0
                upload.closeDescriptor()
                guard synced else { return false }
                guard rename(upload.path, target) == 0 else { return false }
                let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard dirFD >= 0 else { return false }
                defer { close(dirFD) }
                return fsync(dirFD) == 0
            }) ?? false
        guard succeeded else {
            unlink(upload.path)
            unlink(target)
            throw .unavailable("Document storage failed")
        }
        return relative
    }

    /// Removes a stored document (e.g. the upload of a request that turned out to be a replay).
    func remove(relative: String) {
        unlink(path(of: relative))
    }

    /// Deletes files without a job (a crash between storing the file and committing the job
    /// leaves one, and that request was never answered with a 202), and derived files (`.fax.tif`,
    /// `.fax.pdf`, worker leftovers) of jobs that have ended.
    public func removeOrphanDocuments(store: any JobStore, logger: Logger) async {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed = 0
        for name in names where name.contains(".") {
            let id = String(name.prefix(while: { $0 != "." }))
            guard JobID.isValid(id) else { continue }
            let found: Job?
            do {
                found = try await store.job(id: id)
            } catch {
                continue
            }
            let derived = name.dropFirst(id.count + 1).contains(".")
            if found == nil || (derived && found?.status.isTerminal == true) {
                unlink(path(of: name))
                removed += 1
            }
        }
        if removed > 0 { logger.notice("removed files of jobs never accepted or already ended", metadata: ["count": "\(removed)"]) }
    }

    /// Whether a file can be created, fsync'd and removed in `incoming/` right now (readiness).
    func probeWrite() -> Bool {
        let path = (incoming as NSString).appendingPathComponent("ready-\(UUID().uuidString.lowercased()).probe")
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { unlink(path) }
        let ok = write(fd, "ok", 2) == 2 && fsync(fd) == 0
        close(fd)
        return ok
    }

    /// Deletes uploads left half-written by a crash; none of them was ever acknowledged.
    public func removeAbandonedUploads() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []
        for name in names where name.hasSuffix(".part") {
            unlink((incoming as NSString).appendingPathComponent(name))
        }
    }
}

/// One upload being streamed to disk.
final class SpoolUpload: @unchecked Sendable {
    // Used by one request task at a time; the descriptor is closed by commit or discard.
    let fd: Int32
    let path: String
    private var closed = false

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(APIError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .unavailable("Document storage failed")
            }
            offset += written
        }
    }

    /// Closes the descriptor once; a second call must not close a number the process reused.
    func closeDescriptor() {
        guard !closed else { return }
        closed = true
        close(fd)
    }

    /// Drops an upload that will not become a document (a no-op for the file once it was moved).
    func discard() {
        closeDescriptor()
        unlink(path)
    }
}
