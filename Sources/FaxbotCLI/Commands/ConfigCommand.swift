import ArgumentParser
import FaxbotCore
import FaxbotServer
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration; encrypt secrets for it.", subcommands: [Check.self, Encrypt.self])

    struct Encrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a secret on standard input and print it as fernet:<token> for faxbot.yaml or the environment.",
            discussion: "Needs CONFIG_MASTER_KEY (a Fernet key). --generate-key prints a new key instead.")

        @Flag(help: "Print a new random CONFIG_MASTER_KEY and exit.")
        var generateKey = false

        func run() async throws {
            if generateKey {
                print(Fernet.generateKey())
                return
            }
            guard let key = ProcessInfo.processInfo.environment["CONFIG_MASTER_KEY"], !key.isEmpty else {
                print("error: set CONFIG_MASTER_KEY first (`faxbot config encrypt --generate-key` makes one)")
                throw ExitCodes.usage
            }
            var secret = Data()
            while let chunk = try FileHandle.standardInput.read(upToCount: 4096), !chunk.isEmpty { secret.append(chunk) }
            // One trailing line break is from typing or echo, not part of the secret.
            if secret.last == 0x0A { secret.removeLast() }
            if secret.last == 0x0D { secret.removeLast() }
            guard !secret.isEmpty else {
                print("error: nothing to encrypt on standard input")
                throw ExitCodes.usage
            }
            do {
                print(ConfigLoader.fernetPrefix + (try Fernet(key: key).encrypt(secret)))
            } catch {
                print("error: \(error)")
                throw ExitCodes.usage
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Explain every mistake in the configuration; exit 2 if any.")

        @Option(help: "Configuration file (default config/faxbot.yaml when present; env FAXBOT_CONFIG).")
        var config: String?

        func run() async throws {
            let (settings, issues) = ConfigLoader(environment: ProcessInfo.processInfo.environment, configPath: config).load()
            guard issues.isEmpty else {
                print("configuration has \(issues.count) problem(s):")
                for issue in issues { print("  - \(issue)") }
                throw ExitCodes.usage
            }
            print("configuration OK")
            print("  listen        \(settings.listenHost):\(settings.listenPort)")
            print("  data_dir      \(settings.dataDir)")
            print("  database      \(settings.resolvedDatabasePath)")
            print("  backend       \(settings.backend)")
            print("  api_key       \(settings.apiKey == nil ? "not set" : "set")")
            print("  max_file_size \(settings.maxFileSizeMB) MB")
            print("  max_attempts  \(settings.retryPolicy.maxAttempts), retry_uncertain \(settings.retryUncertain)")
            print(
                "  inbound       \(settings.inbound.enabled ? "on" : "off"), spool \(settings.inboundSpoolDir), hook secret \(settings.inbound.secret == nil ? "not set" : "set")"
            )
            if !settings.listensOnLoopbackOnly, settings.apiKey == nil {
                print("  note: listening beyond loopback needs API_KEY or a stored key (`faxbot keys create`)")
            }
        }
    }
}
