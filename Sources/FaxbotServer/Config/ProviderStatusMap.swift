import FaxTransports
import Foundation

/// config/provider_status_map.json: each transport's own codes → canonical failure causes.
enum ProviderStatusMap {
    static let searchPaths = [
        "config/provider_status_map.json", "/etc/faxbot/provider_status_map.json", "/usr/share/faxbot/provider_status_map.json",
    ]

    /// The Asterisk section: from `status_map_file`, else the first file found; a missing or
    /// broken file stops the start (a wrong cause could retry a fax that must not be retried).
    static func asterisk(_ config: FaxbotConfig) throws(StartupError) -> AsteriskCauseTable {
        guard let path = config.statusMapFile ?? searchPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw StartupError(
                description:
                    "the Asterisk transport needs provider_status_map.json (searched \(searchPaths.joined(separator: ", "))); set status_map_file")
        }
        do {
            return try AsteriskCauseTable.load(path: path)
        } catch {
            throw StartupError(description: "\(path) cannot be used: \(error)")
        }
    }

    /// The FreeSWITCH section, under the same rules.
    static func freeswitch(_ config: FaxbotConfig) throws(StartupError) -> FreeSWITCHCauseTable {
        guard let path = config.statusMapFile ?? searchPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw StartupError(
                description:
                    "the FreeSWITCH transport needs provider_status_map.json (searched \(searchPaths.joined(separator: ", "))); set status_map_file")
        }
        do {
            return try FreeSWITCHCauseTable.load(path: path)
        } catch {
            throw StartupError(description: "\(path) cannot be used: \(error)")
        }
    }
}
