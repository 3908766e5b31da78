import FaxbotCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The test transport's durable record of what it transmitted: one JSON line per fact,
/// appended and fsync'd before the fact takes effect. It plays the far end's memory, so a
/// restarted daemon can reconcile, and tests can prove no job was transmitted twice.
///
/// Lines: `{"job":"<id>","attempt":1,"event":"submitted"}` and
/// `{"job":"<id>","attempt":1,"event":"result","result":"completed|failed|canceled","pages":1,"cause":"busy"}`.
/// No numbers, no document names.
struct TestTransportJournal: Sendable {
    struct Entry: Codable, Equatable {
        var job: String
        var attempt: Int
        var event: String
        var result: String?
        var pages: Int?
        var cause: String?
    }

    let path: String

    /// Whether a line could be appended now (the file, or its directory when it does not exist yet).
    var isWritable: Bool {
        if FileManager.default.fileExists(atPath: path) { return access(path, W_OK) == 0 }
        return access((path as NSString).deletingLastPathComponent, W_OK) == 0
    }

    /// Appends one line and fsyncs it. False when the fact could not be made durable.
    @discardableResult
    func append(_ entry: Entry) -> Bool {
        guard var data = try? JSONEncoder().encode(entry) else { return false }
        data.append(0x0A)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return written == data.count && fsync(fd) == 0
    }

    func entries() -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: 0x0A).compactMap { try? JSONDecoder().decode(Entry.self, from: Data($0)) }
    }

    static func event(of entry: Entry) -> JobEvent? {
        switch entry.result {
        case "completed": return .completed(pagesSent: entry.pages ?? 0)
        case "canceled": return .canceledByTransport
        case "failed":
            let cause = entry.cause.flatMap(FailureCause.init(rawValue:)) ?? .internalError
            return .failed(cause, detail: "test transport: \(cause.rawValue)", pagesSent: entry.pages)
        default: return nil
        }
    }
}
