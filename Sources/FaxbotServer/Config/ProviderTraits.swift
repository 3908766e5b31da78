import Foundation

/// `config/provider_traits.json` (schema: `config/schemas/provider_traits.schema.json`): what
/// each transport is, how it authenticates, how its webhooks are verified, and its settings.
public struct ProviderTraits: Codable, Sendable, Equatable {
    public struct Transport: Codable, Sendable, Equatable {
        public struct Auth: Codable, Sendable, Equatable {
            public var methods: [String]
        }

        public struct Webhook: Codable, Sendable, Equatable {
            public enum Verification: String, Codable, Sendable {
                case hmacSHA1 = "hmac_sha1"
                case hmacSHA256 = "hmac_sha256"
                case basicAuth = "basic_auth"
                case internalSecret = "internal_secret"
                case none
            }

            public var verification: Verification
            public var path: String?
            public var verifyHeader: String?

            enum CodingKeys: String, CodingKey {
                case verification, path
                case verifyHeader = "verify_header"
            }
        }

        public var name: String
        public var kind: String
        public var documentFormat: String
        public var outbound: Bool
        public var inbound: Bool
        public var auth: Auth
        public var webhook: Webhook
        public var regions: [String]
        /// The transport's settings as a JSON Schema fragment.
        var config: AnyJSON

        enum CodingKeys: String, CodingKey {
            case name, kind, outbound, inbound, auth, webhook, regions, config
            case documentFormat = "document_format"
        }
    }

    public var version: Int
    public var transports: [String: Transport]

    /// The seven transports Faxbot knows.
    public static let knownTransports: Set<String> = ["test", "asterisk", "freeswitch", "phaxio", "sinch", "signalwire", "humblefax"]

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Where the daemon looks when `traits_file` is not set, first found wins.
    public static let searchPaths = ["config/provider_traits.json", "/etc/faxbot/provider_traits.json", "/usr/share/faxbot/provider_traits.json"]

    /// Reads and checks a traits file: version 1, and every known transport described.
    public static func load(path: String) throws(LoadError) -> ProviderTraits {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(description: "\(path) cannot be read") }
        let traits: ProviderTraits
        do {
            traits = try JSONDecoder().decode(ProviderTraits.self, from: data)
        } catch {
            throw LoadError(description: "\(path) is not valid transport traits: \(error)")
        }
        guard traits.version == 1 else { throw LoadError(description: "\(path): version must be 1") }
        let missing = knownTransports.subtracting(traits.transports.keys)
        guard missing.isEmpty else { throw LoadError(description: "\(path) does not describe \(missing.sorted().joined(separator: ", "))") }
        return traits
    }
}
