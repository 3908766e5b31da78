import FaxTransports
import FaxbotCore
import Foundation
import Logging
import Yams

/// Builds a ``FaxbotConfig`` from defaults < faxbot.yaml < environment < flags, collecting every
/// mistake instead of stopping at the first, so `faxbot config check` can explain them all.
public struct ConfigLoader: Sendable {
    public var environment: [String: String]
    /// Flag name (without dashes) → value.
    public var flags: [String: String]
    /// An explicit `--config` / `FAXBOT_CONFIG` path; a missing explicit file is an error.
    public var configPath: String?

    public init(environment: [String: String], flags: [String: String] = [:], configPath: String? = nil) {
        self.environment = environment
        self.flags = flags
        self.configPath = configPath
    }

    private struct Raw {
        var value: String
        var source: String
    }

    /// The configuration and every issue found. The configuration is only safe to use when the list is empty.
    public func load() -> (FaxbotConfig, [ConfigIssue]) {
        var issues: [ConfigIssue] = []
        var raw: [String: Raw] = [:]
        for (key, value) in fileValues(&issues) { raw[key.0] = Raw(value: value, source: key.1) }
        for key in ConfigKey.all {
            // An empty variable counts as unset, as in a systemd EnvironmentFile with `NAME=`.
            if let name = key.environment.first(where: { !(environment[$0] ?? "").isEmpty }), let value = environment[name] {
                raw[key.yaml] = Raw(value: value, source: "environment (\(name))")
            }
            if let flag = key.flag, let value = flags[flag] { raw[key.yaml] = Raw(value: value, source: "flag --\(flag)") }
        }
        decryptSecrets(&raw, &issues)
        var config = FaxbotConfig()
        var parser = ValueParser(raw: raw.mapValues { ($0.value, $0.source) })
        parser.parse(into: &config)
        issues += parser.issues
        if ["true", "1", "yes", "on"].contains((environment["BOOT_FAIL_ON_MISSING_SECRETS"] ?? "").lowercased()) {
            var missing: [String] = []
            if (environment["CONFIG_MASTER_KEY"] ?? "").isEmpty { missing.append("CONFIG_MASTER_KEY") }
            if config.sessionPepper == nil { missing.append("FAXBOT_SESSION_PEPPER") }
            if !missing.isEmpty {
                issues.append(
                    ConfigIssue(
                        key: "secrets", source: "environment (BOOT_FAIL_ON_MISSING_SECRETS)",
                        message:
                            "BOOT_FAIL_ON_MISSING_SECRETS is on and \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not set"
                    ))
            }
        }
        return (config, issues)
    }

    /// Values written as `fernet:<token>` are decrypted with `CONFIG_MASTER_KEY` (environment only,
    /// never the file the secrets sit in).
    private func decryptSecrets(_ raw: inout [String: Raw], _ issues: inout [ConfigIssue]) {
        let encrypted = raw.filter { $0.value.value.hasPrefix(Self.fernetPrefix) }
        guard !encrypted.isEmpty else { return }
        guard let masterKey = environment["CONFIG_MASTER_KEY"], !masterKey.isEmpty else {
            for (key, value) in encrypted {
                issues.append(
                    ConfigIssue(key: key, source: value.source, message: "the value is encrypted (fernet:…) but CONFIG_MASTER_KEY is not set"))
                raw[key] = nil
            }
            return
        }
        let fernet: Fernet
        do {
            fernet = try Fernet(key: masterKey)
        } catch {
            issues.append(ConfigIssue(key: "config_master_key", source: "environment (CONFIG_MASTER_KEY)", message: error.description))
            for key in encrypted.keys { raw[key] = nil }
            return
        }
        for (key, value) in encrypted {
            do {
                let plain = try fernet.decrypt(String(value.value.dropFirst(Self.fernetPrefix.count)))
                raw[key] = Raw(value: String(decoding: plain, as: UTF8.self), source: value.source + ", decrypted")
            } catch {
                issues.append(ConfigIssue(key: key, source: value.source, message: error.description))
                raw[key] = nil
            }
        }
    }

    public static let fernetPrefix = "fernet:"

    /// Throws a ``ConfigError`` listing every issue.
    public func loadOrThrow() throws(ConfigError) -> FaxbotConfig {
        let (config, issues) = load()
        guard issues.isEmpty else { throw ConfigError(issues: issues) }
        return config
    }

    private func fileValues(_ issues: inout [ConfigIssue]) -> [((String, String), String)] {
        let explicit = configPath ?? environment["FAXBOT_CONFIG"]
        let path = explicit ?? "config/faxbot.yaml"
        guard let data = FileManager.default.contents(atPath: path) else {
            if explicit != nil { issues.append(ConfigIssue(key: "config", source: path, message: "the file does not exist or cannot be read")) }
            return []
        }
        guard let text = String(data: data, encoding: .utf8) else {
            issues.append(ConfigIssue(key: "config", source: path, message: "the file is not UTF-8 text"))
            return []
        }
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            issues.append(ConfigIssue(key: "config", source: path, message: "not valid YAML: \(error)"))
            return []
        }
        guard let document else { return [] }
        guard let mapping = document as? [String: Any] else {
            issues.append(ConfigIssue(key: "config", source: path, message: "the top level must be a mapping of settings"))
            return []
        }
        let known = Set(ConfigKey.all.map(\.yaml))
        var values: [((String, String), String)] = []
        for (key, value) in Self.flatten(mapping, prefix: "") {
            guard known.contains(key) else {
                issues.append(ConfigIssue(key: key, source: path, message: "unknown setting (see config/faxbot.yaml for the list)"))
                continue
            }
            if let value, !value.isEmpty { values.append(((key, path), value)) }
        }
        return values
    }

    private static func flatten(_ mapping: [String: Any], prefix: String) -> [(String, String?)] {
        mapping.flatMap { key, value -> [(String, String?)] in
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case let nested as [String: Any]: return flatten(nested, prefix: full)
            case is NSNull: return [(full, nil)]
            case let bool as Bool: return [(full, bool ? "true" : "false")]
            default: return [(full, "\(value)")]
            }
        }
    }
}
