import Foundation
import Logging
import Synchronization

/// One line per event on stderr, `key=value` metadata sorted by key. When stderr is the systemd
/// journal (`$JOURNAL_STREAM` is set), each line starts with its syslog priority (`<6>`), which
/// journald turns into the entry's level, and carries no timestamp (journald adds its own).
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let journal: Bool

    public init(label: String, journal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false) {
        self.label = label
        self.journal = journal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data((line(event) + "\n").utf8))
    }

    /// The text of one entry, without the line break. Line breaks inside it are escaped: one event, one line.
    func line(_ event: LogEvent) -> String {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        let text = "\(event.level) \(label): \(fields.isEmpty ? "" : fields + " ")\(event.message)"
            .replacingOccurrences(of: "\n", with: "\\n")
        if journal { return "<\(Self.priority(event.level))>" + text }
        return Self.timestamp() + " " + text
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        _ = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
