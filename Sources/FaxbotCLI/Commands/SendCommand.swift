import ArgumentParser
import Foundation
import NIOHTTP1

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a PDF or text file as a fax.")

    @Argument(help: "The PDF or plain-text file.")
    var file: String

    @Option(help: "Destination number: E.164 (a leading + and digits) or digits only.")
    var to: String

    @Option(name: .customLong("idempotency-key"), help: "Makes a retried command return the first job instead of a second fax.")
    var idempotencyKey: String?

    @Option(help: "Fax header line (at most 50 characters).")
    var header: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        guard let content = FileManager.default.contents(atPath: file) else {
            print("error: cannot read \(file)")
            throw ExitCodes.usage
        }
        var body = MultipartBody()
        body.field("to", to)
        if let header { body.field("header", header) }
        let name = (file as NSString).lastPathComponent
        body.file("file", filename: name, contentType: "application/octet-stream", content)
        var headers = [("Content-Type", body.contentType)]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        let payload = body.finished()
        let reply = try await DaemonClient.with(client) { daemon in
            try daemon.check(try await daemon.send(.POST, "/fax/send", body: payload, headers: headers))
        }
        printJSON(reply.body)
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a job.")

    @Argument(help: "Job id.")
    var id: String

    @Flag(help: "Also show the job's event log.")
    var events = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await DaemonClient.with(client) { daemon in
            printJSON(try daemon.check(try await daemon.send(.GET, "/fax/status/\(id)")).body)
            if events { printJSON(try daemon.check(try await daemon.send(.GET, "/fax/\(id)/events")).body) }
        }
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a job.")

    @Argument(help: "Job id.")
    var id: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await DaemonClient.with(client) { daemon in
            printJSON(try daemon.check(try await daemon.send(.POST, "/fax/\(id)/cancel")).body)
        }
    }
}

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")

    @Option(help: "Only jobs in this status (queued, in_progress, delivered, failed, canceled).")
    var status: String?

    @Option(help: "At most this many jobs (1–200).")
    var limit: Int = 50

    @Option(help: "Continue after this cursor (from a previous page's next_cursor).")
    var cursor: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        var query = ["limit=\(limit)"]
        if let status { query.append("status=\(status)") }
        if let cursor { query.append("cursor=\(cursor)") }
        try await DaemonClient.with(client) { daemon in
            printJSON(try daemon.check(try await daemon.send(.GET, "/fax?" + query.joined(separator: "&"))).body)
        }
    }
}
