import FaxbotCore
import Foundation

/// Places an attempt's document where the PBX process can read it. The daemon's spool is
/// private (0700, files 0600); SendFAX and txfax open the file themselves, as the PBX's user.
/// The copy is named by attempt (never by the client's file name), mode 0640, and written under
/// a `.part` name first so the PBX never sees half a file.
public enum DocumentHandOff {
    public static func path(in directory: String, name: String) -> String {
        (directory as NSString).appendingPathComponent("\(name).tif")
    }

    /// Copies `source` to `<directory>/<name>.tif`; the path of the copy.
    public static func copy(_ source: String, into directory: String, as name: String) throws(TransportError) -> String {
        let target = path(in: directory, name: name)
        let part = target + ".part"
        do {
            try? FileManager.default.removeItem(atPath: part)
            try FileManager.default.copyItem(atPath: source, toPath: part)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: part)
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.moveItem(atPath: part, toPath: target)
        } catch {
            try? FileManager.default.removeItem(atPath: part)
            throw TransportError(
                cause: .transportUnavailable,
                detail: "the document cannot be placed in the directory shared with the PBX: \((error as NSError).localizedDescription)")
        }
        return target
    }

    /// Removes the copy when the attempt has ended.
    public static func remove(from directory: String, name: String) {
        try? FileManager.default.removeItem(atPath: path(in: directory, name: name))
    }
}
