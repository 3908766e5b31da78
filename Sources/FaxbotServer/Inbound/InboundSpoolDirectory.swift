import CFileStat
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The directory the PBX writes received TIFFs into (`inbound.spool_dir`). Its files belong to
/// the PBX's user, so nothing in it is trusted: a file is accepted only when it is, after
/// resolving symlinks, a regular file directly inside the directory, and it is opened relative to
/// the directory without following symlinks, so it cannot be swapped for a link between the
/// check and the read.
struct InboundSpoolDirectory: Sendable {
    let path: String

    /// The largest TIFF accepted: far above a 100-page fine fax (about 10 MB).
    static let maxTIFFBytes = 256 << 20
    /// The largest sidecar read.
    static let maxSidecarBytes = 64 << 10

    /// The directory with symlinks resolved.
    func resolved() throws(InboundError) -> String {
        guard let real = Self.realPath(path) else {
            throw InboundError(.storage, "the inbound spool directory does not exist or cannot be read")
        }
        return real
    }

    /// The name inside the spool of the file `tiffPath` designates, after resolving symlinks.
    /// A missing file still has a name (the caller decides whether that is an error).
    func entryName(for tiffPath: String) throws(InboundError) -> String {
        guard tiffPath.hasPrefix("/") else { throw InboundError(.invalidReport, "the TIFF path must be absolute") }
        let spool = try resolved()
        if let full = Self.realPath(tiffPath) {
            guard (full as NSString).deletingLastPathComponent == spool else { throw Self.outside }
            return (full as NSString).lastPathComponent
        }
        // Missing: its directory must be the spool itself, and the name no dangling symlink.
        let name = (tiffPath as NSString).lastPathComponent
        guard let parent = Self.realPath((tiffPath as NSString).deletingLastPathComponent), parent == spool,
            !name.isEmpty, name != ".", name != ".."
        else { throw Self.outside }
        if faxbot_lstat((spool as NSString).appendingPathComponent(name)).kind == FAXBOT_FILE_SYMLINK.rawValue { throw Self.outside }
        return name
    }

    static let outside = InboundError(.outsideSpool, "the TIFF must be a file directly inside the inbound spool directory")

    /// Copies spool entry `name` to `target` (created 0600). Returns false when there is no such entry.
    func copy(_ name: String, to target: String) throws(InboundError) -> Bool {
        let directory = try openDirectory()
        defer { close(directory) }
        let source = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard source >= 0 else {
            switch errno {
            case ENOENT: return false
            case ELOOP: throw Self.outside
            default: throw InboundError(.unreadable, "the TIFF cannot be opened (errno \(errno))")
            }
        }
        defer { close(source) }
        let info = faxbot_fstat(source)
        guard info.kind == FAXBOT_FILE_REGULAR.rawValue else {
            throw InboundError(.unreadable, "the TIFF is not a regular file")
        }
        guard Int(info.size) <= Self.maxTIFFBytes else {
            throw InboundError(.unreadable, "the TIFF is larger than \(Self.maxTIFFBytes >> 20) MB")
        }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw InboundError(.storage, "cannot create a working copy of the TIFF (errno \(errno))") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 128 << 10)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw InboundError(.unreadable, "the TIFF cannot be read (errno \(errno))") }
            if count == 0 { break }
            total += count
            guard total <= Self.maxTIFFBytes else { throw InboundError(.unreadable, "the TIFF is larger than \(Self.maxTIFFBytes >> 20) MB") }
            let written = buffer.withUnsafeBytes { write(output, $0.baseAddress, count) }
            guard written == count else { throw InboundError(.storage, "cannot write a working copy of the TIFF") }
        }
        return true
    }

    /// Reads a small regular file of the spool (a sidecar); nil when it is missing or unsuitable.
    func readSmallFile(_ name: String) -> Data? {
        guard let directory = try? openDirectory() else { return nil }
        defer { close(directory) }
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let info = faxbot_fstat(fd)
        guard info.kind == FAXBOT_FILE_REGULAR.rawValue, Int(info.size) <= Self.maxSidecarBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.size))
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        return Data(bytes.prefix(offset))
    }

    /// Removes spool entry `name`; returns the errno when that was refused (never for a missing file).
    func remove(_ name: String) -> Int32? {
        guard let directory = try? openDirectory() else { return errno }
        defer { close(directory) }
        guard unlinkat(directory, name, 0) == 0 || errno == ENOENT else { return errno }
        return nil
    }

    struct Entry: Sendable, Equatable {
        var name: String
        var modified: Date
    }

    /// Regular files of the spool (symlinks and dot files are left alone).
    func regularFiles() -> [Entry] {
        guard let spool = try? resolved(), let names = try? FileManager.default.contentsOfDirectory(atPath: spool) else { return [] }
        return names.sorted().compactMap { name in
            guard !name.hasPrefix(".") else { return nil }
            let info = faxbot_lstat((spool as NSString).appendingPathComponent(name))
            guard info.kind == FAXBOT_FILE_REGULAR.rawValue else { return nil }
            let modified = Date(timeIntervalSince1970: info.modified)
            return Entry(name: name, modified: modified)
        }
    }

    private func openDirectory() throws(InboundError) -> Int32 {
        let spool = try resolved()
        let fd = open(spool, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw InboundError(.storage, "the inbound spool directory cannot be opened (errno \(errno))") }
        return fd
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
