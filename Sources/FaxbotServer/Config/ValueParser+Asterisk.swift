import FaxTransports
import Foundation

extension ValueParser {
    /// `asterisk.*`: the AMI session and how calls are placed.
    mutating func parseAsterisk(into config: inout FaxbotConfig) {
        if let value = bool("asterisk.enabled") { config.asteriskEnabled = value }
        if let (value, _) = raw["asterisk.host"], !value.isEmpty { config.asterisk.host = value }
        if let value = int("asterisk.port", 1...65535) { config.asterisk.port = value }
        if let (value, _) = raw["asterisk.username"], !value.isEmpty { config.asterisk.username = value }
        if let (value, _) = raw["asterisk.secret"] { config.asterisk.secret = value }
        if let (value, source) = raw["asterisk.auth"] {
            if ["md5", "plain"].contains(value.lowercased()) {
                config.asterisk.auth = value.lowercased()
            } else {
                issue("asterisk.auth", source, "expected md5 or plain, got '\(value)'")
            }
        }
        if let (value, source) = raw["asterisk.context"] {
            if Self.isDialplanName(value) {
                config.asterisk.context = value
            } else {
                issue("asterisk.context", source, "expected a dialplan context name (letters, digits, - and _), got '\(value)'")
            }
        }
        var defaultRoute = config.asterisk.routes[0]
        if let (value, source) = raw["asterisk.dial_template"] {
            if let problem = Self.templateProblem(value) {
                issue("asterisk.dial_template", source, problem)
            } else {
                defaultRoute.dialTemplate = value
            }
        }
        if let value = int("asterisk.max_channels", 1...1000) { defaultRoute.maxChannels = value }
        config.asterisk.routes = [defaultRoute]
        if let (value, source) = raw["asterisk.routes"], !value.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Self.routes(value) {
            case .success(let routes): config.asterisk.routes = [defaultRoute] + routes
            case .failure(let problem): issue("asterisk.routes", source, problem.message)
            }
        }
        if let (value, _) = raw["asterisk.station_id"] { config.asterisk.stationID = value }
        if let (value, _) = raw["asterisk.caller_name"] { config.asterisk.callerName = value }
        if let (value, _) = raw["asterisk.header"] { config.asterisk.header = value }
        if let value = bool("asterisk.ecm") { config.asterisk.ecm = value }
        if let value = int("asterisk.ring_timeout_seconds", 5...600) { config.asterisk.ringTimeout = Double(value) }
        if let value = int("asterisk.call_limit_seconds", 30...14_400) { config.asterisk.callLimit = Double(value) }
        if let (value, _) = raw["asterisk.outbound_dir"] { config.asterisk.outboundDirectory = value }
    }

    struct RouteProblem: Error {
        var message: String
    }

    /// `PREFIX TEMPLATE CHANNELS; …`, e.g. `44 PJSIP/{number}@uk-trunk 2; 1 PJSIP/{number}@us-trunk 4`.
    static func routes(_ text: String) -> Result<[DialRoute], RouteProblem> {
        var routes: [DialRoute] = []
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 3, parts[0].allSatisfy(\.isNumber), let channels = Int(parts[2]), (1...1000).contains(channels) else {
                return .failure(
                    RouteProblem(
                        message: "expected 'PREFIX TEMPLATE CHANNELS' entries separated by ';', got '\(entry.trimmingCharacters(in: .whitespaces))'"))
            }
            if let problem = templateProblem(parts[1]) { return .failure(RouteProblem(message: problem)) }
            routes.append(DialRoute(prefix: parts[0], dialTemplate: parts[1], maxChannels: channels))
        }
        return .success(routes)
    }

    static func templateProblem(_ template: String) -> String? {
        guard template.contains("{number}") || template.contains("{e164}") else {
            return "the dial template must contain {number} or {e164}, got '\(template)'"
        }
        guard template.contains("/"), !template.contains(where: { $0.isWhitespace || $0 == "," || $0.asciiValue.map { $0 < 0x20 } ?? false }) else {
            return "expected a channel such as PJSIP/{number}@trunk (no spaces or commas), got '\(template)'"
        }
        return nil
    }

    static func isDialplanName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 79 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
