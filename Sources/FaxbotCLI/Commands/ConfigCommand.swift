import ArgumentParser
import FaxbotCore
import FaxbotServer
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration.", subcommands: [Check.self])

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
            if !settings.listensOnLoopbackOnly, settings.apiKey == nil {
                print("  note: listening beyond loopback needs API_KEY or a stored key (`faxbot keys create`)")
            }
        }
    }
}
