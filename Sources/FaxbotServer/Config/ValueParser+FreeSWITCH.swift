import FaxTransports
import Foundation

extension ValueParser {
    /// `freeswitch.*`: the Event Socket session and how calls are placed.
    mutating func parseFreeSWITCH(into config: inout FaxbotConfig) {
        if let value = bool("freeswitch.enabled") { config.freeswitchEnabled = value }
        if let (value, _) = raw["freeswitch.host"], !value.isEmpty { config.freeswitch.host = value }
        if let value = int("freeswitch.port", 1...65535) { config.freeswitch.port = value }
        if let (value, _) = raw["freeswitch.password"] { config.freeswitch.password = value }
        var defaultRoute = config.freeswitch.routes[0]
        if let (value, source) = raw["freeswitch.dial_template"] {
            if let problem = Self.templateProblem(value) {
                issue("freeswitch.dial_template", source, problem)
            } else {
                defaultRoute.dialTemplate = value
            }
        } else if let (gateway, source) = raw["freeswitch.gateway"], !gateway.isEmpty {
            // v3's FREESWITCH_GATEWAY_NAME: the gateway of sofia/gateway/<name>/<number>.
            if Self.isDialplanName(gateway) {
                defaultRoute.dialTemplate = "sofia/gateway/\(gateway)/{number}"
            } else {
                issue("freeswitch.gateway", source, "expected a gateway name (letters, digits, - and _), got '\(gateway)'")
            }
        }
        if let value = int("freeswitch.max_channels", 1...1000) { defaultRoute.maxChannels = value }
        config.freeswitch.routes = [defaultRoute]
        if let (value, source) = raw["freeswitch.routes"], !value.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Self.routes(value) {
            case .success(let routes): config.freeswitch.routes = [defaultRoute] + routes
            case .failure(let problem): issue("freeswitch.routes", source, problem.message)
            }
        }
        if let (value, _) = raw["freeswitch.station_id"] { config.freeswitch.stationID = value }
        if let (value, _) = raw["freeswitch.header"] { config.freeswitch.header = value }
        if let value = bool("freeswitch.t38") { config.freeswitch.t38 = value }
        if let value = bool("freeswitch.ecm") { config.freeswitch.ecm = value }
        if let value = int("freeswitch.ring_timeout_seconds", 5...600) { config.freeswitch.ringTimeout = Double(value) }
        if let value = int("freeswitch.call_limit_seconds", 30...14_400) { config.freeswitch.callLimit = Double(value) }
        if let (value, _) = raw["freeswitch.outbound_dir"] { config.freeswitch.outboundDirectory = value }
    }
}
