import ArgumentParser
import FaxbotCore
import FaxbotServer
import FaxbotStore
import Foundation
import Logging

/// API keys are managed on the daemon's host, directly in its database: whoever can read the
/// data directory is the operator. The daemon sees new and revoked keys at once.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (run on the daemon's host).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "Configuration file (env FAXBOT_CONFIG).")
        var config: String?

        @Option(name: .customLong("data-dir"), help: "Data directory (env FAX_DATA_DIR).")
        var dataDir: String?

        func open() throws -> (FaxbotConfig, Storage) {
            var flags: [String: String] = [:]
            flags["data-dir"] = dataDir
            let loader = ConfigLoader(environment: ProcessInfo.processInfo.environment, flags: flags, configPath: config)
            let settings: FaxbotConfig
            do {
                settings = try loader.loadOrThrow()
            } catch {
                print("error: \(error)")
                throw ExitCodes.usage
            }
            do {
                return (settings, try Storage.open(settings))
            } catch {
                print("error: \(error)")
                throw ExitCodes.usage
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once.")

        @Option(help: "A name to recognise the key by.")
        var name: String

        @Option(help: "Space- or comma-separated scopes: fax:send fax:read inbound:list inbound:read keys:manage.")
        var scopes: String = "fax:send fax:read"

        @OptionGroup var location: Location

        func run() async throws {
            let names = scopes.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            var parsed: Set<Scope> = []
            for name in names {
                guard let scope = Scope(rawValue: name) else {
                    print("error: unknown scope '\(name)'; known: \(Scope.allCases.map(\.rawValue).joined(separator: " "))")
                    throw ExitCodes.usage
                }
                parsed.insert(scope)
            }
            guard !parsed.isEmpty else {
                print("error: give at least one scope")
                throw ExitCodes.usage
            }
            let (settings, storage) = try location.open()
            let pepper = try settings.sessionPepper ?? Storage.localPepper(dataDir: settings.dataDir, logger: Logger(label: "faxbot.keys"))
            let (token, record) = APIKeyCodec(pepper: pepper).generate(name: name, scopes: parsed, at: SystemClock().now())
            try await SQLiteKeyStore(database: storage.database).insert(record)
            print(token)
            FileHandle.standardError.write(Data("key \(record.keyID) created; the full key is shown only once.\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")

        @OptionGroup var location: Location

        func run() async throws {
            let (_, storage) = try location.open()
            for key in try await SQLiteKeyStore(database: storage.database).keys() {
                let state = key.revokedAt == nil ? "active" : "revoked"
                let scopes = key.scopes.map(\.rawValue).sorted().joined(separator: ",")
                print("\(key.keyID)\t\(state)\t\(scopes)\t\(key.name)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key at once.")

        @Argument(help: "The key id (the 12 hex characters after fbk_live_).")
        var keyID: String

        @OptionGroup var location: Location

        func run() async throws {
            let (_, storage) = try location.open()
            guard try await SQLiteKeyStore(database: storage.database).revoke(id: keyID, at: SystemClock().now()) else {
                print("error: no active key \(keyID)")
                throw ExitCodes.rejected
            }
            print("revoked \(keyID)")
        }
    }
}
