import ArgumentParser
import FaxbotServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the daemon.")

    @Option(help: "Configuration file (default config/faxbot.yaml when present; env FAXBOT_CONFIG).")
    var config: String?

    @Option(help: "HOST:PORT to listen on (env FAXBOT_LISTEN; default 127.0.0.1:8080).")
    var listen: String?

    @Option(name: .customLong("data-dir"), help: "Data directory for the database and spool (env FAX_DATA_DIR).")
    var dataDir: String?

    @Option(help: "Fax transport (env FAX_BACKEND; default test).")
    var backend: String?

    func run() async throws {
        var flags: [String: String] = [:]
        flags["listen"] = listen
        flags["data-dir"] = dataDir
        flags["backend"] = backend
        let loader = ConfigLoader(environment: ProcessInfo.processInfo.environment, flags: flags, configPath: config)
        let settings: FaxbotConfig
        do {
            settings = try loader.loadOrThrow()
        } catch {
            print("error: \(error)")
            throw ExitCodes.usage
        }
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = JournalLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "faxbot")
        let faxbot: Faxbot
        do {
            faxbot = try await buildApplication(config: settings, logger: logger)
        } catch let error as StartupError {
            logger.critical("cannot start: \(error.description)")
            throw ExitCodes.usage
        }
        try await faxbot.run()
    }
}
