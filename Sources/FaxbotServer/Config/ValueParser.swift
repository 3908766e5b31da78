import FaxImaging
import FaxTransports
import FaxbotCore
import Foundation
import Logging

/// Turns raw strings into typed settings, recording an issue for each bad value.
struct ValueParser {
    let raw: [String: (value: String, source: String)]
    private(set) var issues: [ConfigIssue] = []

    init(raw: [String: (value: String, source: String)]) {
        self.raw = raw
    }

    mutating func parse(into config: inout FaxbotConfig) {
        if let (value, source) = raw["listen"] {
            if let (host, port) = Self.hostPort(value) {
                config.listenHost = host
                config.listenPort = port
            } else {
                issue("listen", source, "expected HOST:PORT such as 127.0.0.1:8080 or [::1]:8080, got '\(value)'")
            }
        }
        if let (value, _) = raw["data_dir"] { config.dataDir = value }
        if let (value, _) = raw["traits_file"], !value.isEmpty { config.traitsFile = value }
        if let (value, _) = raw["openapi_file"], !value.isEmpty { config.openAPIFile = value }
        if let (value, source) = raw["database_url"] {
            if let path = Self.sqlitePath(value) {
                config.databasePath = path
            } else if value.hasPrefix("postgres") {
                issue("database_url", source, "PostgreSQL is not supported by this build yet; use sqlite:///path/to/faxbot.db or leave it unset")
            } else {
                issue("database_url", source, "expected sqlite:///path/to/faxbot.db")
            }
        }
        if let (value, source) = raw["backend"] {
            let name = value.lowercased()
            if name == "test" || name == "sip" || name == "asterisk" || name == "freeswitch" {
                config.backend = name == "asterisk" ? "sip" : name
            } else if ConfigKey.plannedBackends.contains(name) {
                issue("backend", source, "the '\(name)' transport is not available in this build yet; use 'test'")
            } else {
                issue("backend", source, "unknown backend '\(value)'; known: test, sip (asterisk), freeswitch")
            }
        }
        if let (value, _) = raw["api_key"], !value.isEmpty { config.apiKey = value }
        if let value = bool("require_api_key") { config.requireAPIKey = value }
        if let value = int("max_file_size_mb", 1...1024) { config.maxFileSizeMB = value }
        if let (value, source) = raw["api.rate_limit_rps"] {
            if let rate = Double(value.trimmingCharacters(in: .whitespaces)), rate.isFinite, rate > 0, rate <= 100_000 {
                config.rateLimitRPS = rate
            } else {
                issue("api.rate_limit_rps", source, "expected a number of requests per second above 0 (up to 100000), got '\(value)'")
            }
        }
        if let value = int("api.rate_limit_rpm", 0...6_000_000) { config.rateLimitRPM = value }
        if let (value, source) = raw["session_pepper"], !value.isEmpty {
            if value.utf8.count < 16 {
                issue("session_pepper", source, "must be at least 16 characters (use 32 random bytes, e.g. `openssl rand -hex 32`)")
            } else {
                config.sessionPepper = value
            }
        }
        if let (value, source) = raw["log_level"] {
            if let level = Logger.Level(rawValue: value.lowercased()) {
                config.logLevel = level
            } else {
                issue("log_level", source, "expected one of trace, debug, info, notice, warning, error, critical")
            }
        }
        if let value = int("dispatcher.max_attempts", 1...20) { config.retryPolicy.maxAttempts = value }
        if let value = bool("dispatcher.retry_uncertain") { config.retryUncertain = value }
        if let value = int("dispatcher.poll_interval_ms", 10...60_000) { config.pollInterval = Double(value) / 1000 }
        if let value = int("dispatcher.call_timeout_seconds", 1...86_400) { config.callTimeout = Double(value) }
        if let value = int("dispatcher.drain_timeout_seconds", 0...3600) { config.drainTimeout = Double(value) }
        if let value = int("test_transport.step_delay_ms", 0...600_000) { config.testTransport.stepDelay = Double(value) / 1000 }
        if let value = int("test_transport.max_concurrent_calls", 1...1000) { config.testTransport.maxConcurrentCalls = value }
        if let (value, source) = raw["test_transport.document_format"] {
            if let format = TransportDocumentFormat(rawValue: value.lowercased()) {
                config.testTransport.documentFormat = format
            } else {
                issue("test_transport.document_format", source, "expected tiff, pdf or original, got '\(value)'")
            }
        }
        if let (value, source) = raw["documents.paper"] {
            if let paper = PaperSize(rawValue: value.lowercased()) {
                config.documents.paper = paper
            } else {
                issue("documents.paper", source, "expected letter or a4, got '\(value)'")
            }
        }
        if let (value, _) = raw["documents.text_font"] { config.documents.textFont = value.isEmpty ? nil : value }
        if let value = int("documents.convert_timeout_seconds", 1...3600) { config.documents.limits.wallTime = .seconds(value) }
        if let value = int("documents.convert_memory_mb", 64...65_536) { config.documents.limits.memoryBytes = value << 20 }
        if let value = int("documents.convert_workers", 1...64) { config.documents.limits.concurrentWorkers = value }
        if let (value, _) = raw["status_map_file"], !value.isEmpty { config.statusMapFile = value }
        parseAsterisk(into: &config)
        parseFreeSWITCH(into: &config)
        config.inbound.spoolTransport = config.usesFreeSWITCH && !config.usesAsterisk ? "freeswitch" : "sip"
        parseInbound(into: &config.inbound)
    }

    mutating func issue(_ key: String, _ source: String, _ message: String) {
        issues.append(ConfigIssue(key: key, source: source, message: message))
    }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let (value, source) = raw[key] else { return nil }
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            issue(key, source, "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(value)'")
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let (value, source) = raw[key] else { return nil }
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off", "": return false
        default:
            issue(key, source, "expected true or false, got '\(value)'")
            return nil
        }
    }

    static func hostPort(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    /// SQLAlchemy's form, as v3 used it: `sqlite:///relative/path` (v3's default
    /// `sqlite:///./faxbot.db`) and `sqlite:////absolute/path`; also `sqlite:path`.
    static func sqlitePath(_ url: String) -> String? {
        guard url.hasPrefix("sqlite:") else { return nil }
        let rest = url.dropFirst("sqlite:".count)
        let path = rest.hasPrefix("///") ? rest.dropFirst(3) : rest.hasPrefix("//") ? "" : rest
        return path.isEmpty ? nil : String(path)
    }
}
