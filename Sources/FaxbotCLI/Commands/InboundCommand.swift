import ArgumentParser
import AsyncHTTPClient
import FaxbotServer
import Foundation
import NIOCore
import NIOHTTP1

/// `faxbot inbound …`: report a received fax (what the dialplan runs), and read received faxes.
struct InboundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbound",
        abstract: "Received faxes: report one from a dialplan, list, show and download them.",
        subcommands: [Submit.self, List.self, Get.self, Download.self]
    )

    /// Reports a fax the PBX received. Run by the dialplan (as the PBX's user) after ReceiveFAX:
    /// it posts to the daemon's internal hook; when the daemon cannot take the report it leaves a
    /// sidecar next to the TIFF for the daemon's spool scan. Either way the fax is not lost.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report a received fax to the daemon (dialplan fallback; leaves a sidecar when the daemon is down).",
            discussion: """
                Exit 0 when the daemon recorded the fax, or when it could not be reached and the report was left as \
                <stem>.json next to the TIFF (mode 0640) for the daemon to ingest. Exit 1 when the daemon refused the \
                report, 2 on bad arguments, 3 when neither the daemon nor the sidecar could take it. The secret comes from \
                ASTERISK_INBOUND_SECRET or inbound.secret in the configuration, never from the command line.
                """
        )

        @Option(help: "The transport that received the fax (sip, freeswitch).")
        var transport = "sip"

        @Option(name: .customLong("call-id"), help: "The PBX's id for the call (Asterisk UNIQUEID).")
        var callID: String

        @Option(help: "The received TIFF, inside the daemon's inbound spool directory.")
        var file: String

        @Option(help: "The caller's number, if known.")
        var from: String?

        @Option(help: "The number dialled (the DID).")
        var to: String?

        @Option(help: "SUCCESS or FAILED (Asterisk FAXSTATUS); empty means FAILED.")
        var status = "SUCCESS"

        @Option(help: "Pages the PBX received (FAXPAGES); may be empty.")
        var pages: String?

        @Option(help: "Daemon URL (env FAXBOT_URL; default: the configured listen address).")
        var url: String?

        @Option(help: "Configuration file for inbound.secret and listen (env FAXBOT_CONFIG).")
        var config: String?

        static let sidecarMode: mode_t = 0o640

        func validate() throws {
            guard InboundIngestor.isValidCallID(callID) else {
                throw ValidationError("--call-id must be 1 to 128 of A–Z, a–z, 0–9, . _ : and -")
            }
            guard (1...32).contains(transport.utf8.count),
                transport.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") })
            else { throw ValidationError("--transport must be 1 to 32 of a–z, 0–9, _ and - (e.g. sip)") }
            guard ["SUCCESS", "FAILED", ""].contains(status.uppercased()) else { throw ValidationError("--status must be SUCCESS or FAILED") }
            if let pages, !pages.isEmpty {
                guard let value = Int(pages), (0...10_000).contains(value) else {
                    throw ValidationError("--pages must be a whole number from 0 to 10000")
                }
            }
            guard !file.isEmpty else { throw ValidationError("--file must name the received TIFF") }
        }

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let (settings, issues) = ConfigLoader(environment: environment, configPath: config).load()
            for issue in issues where issue.key.hasPrefix("inbound.") || issue.key == "listen" || issue.key == "config" {
                FileHandle.standardError.write(Data("warning: \(issue)\n".utf8))
            }
            let tiff = absolute(file)
            let succeeded = status.uppercased() == "SUCCESS"
            let pageCount = pages.flatMap { Int($0) }
            let sidecar = InboundSidecar(
                transport: transport, callID: callID, file: (tiff as NSString).lastPathComponent, from: nonEmpty(from), to: nonEmpty(to),
                succeeded: succeeded, pages: pageCount, writtenAt: Date()
            )
            let why: String
            if let secret = settings.inbound.secret {
                let base = url ?? environment["FAXBOT_URL"] ?? Self.url(host: settings.listenHost, port: settings.listenPort)
                var body: [String: Any] = [
                    "tiff_path": tiff, "uniqueid": callID, "transport": transport, "to_number": nonEmpty(to) ?? "",
                    "faxstatus": succeeded ? "SUCCESS" : "FAILED",
                ]
                body["from_number"] = nonEmpty(from)
                body["faxpages"] = pageCount
                switch await post(base: base, secret: secret, body: body) {
                case .recorded(let data):
                    printJSON(data)
                    return
                case .refused(let status, let detail):
                    print("error: the daemon refused the report (\(status)): \(detail)")
                    throw ExitCodes.rejected
                case .notTaken(let reason):
                    why = reason
                }
            } else {
                why = "no ASTERISK_INBOUND_SECRET (inbound.secret) is set, so the daemon's hook is off"
            }
            do {
                let path = try sidecar.write(nextTo: tiff, mode: Self.sidecarMode)
                FileHandle.standardError.write(Data("note: \(why); the report was left in \(path) for the daemon's spool scan\n".utf8))
            } catch {
                print("error: \(why), and the report cannot be left next to the TIFF: \(error)")
                throw ExitCodes.unreachable
            }
        }

        enum Outcome {
            case recorded(Data)
            /// The daemon looked at the report and refused it: a sidecar would be refused too.
            case refused(Int, String)
            /// The daemon could not take it now (down, hook off, overloaded): leave a sidecar.
            case notTaken(String)
        }

        private func post(base: String, secret: String, body: [String: Any]) async -> Outcome {
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
            configuration.connectionPool.retryConnectionEstablishment = false
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let outcome = await post(http, base: base, secret: secret, body: body)
            try? await http.shutdown()
            return outcome
        }

        private func post(_ http: HTTPClient, base: String, secret: String, body: [String: Any]) async -> Outcome {
            do {
                var request = HTTPClientRequest(url: base + "/_internal/asterisk/inbound")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-Internal-Secret", value: secret)
                request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
                let response = try await http.execute(request, timeout: .seconds(120))
                let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                let status = Int(response.status.code)
                let detail = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["detail"] as? String ?? ""
                switch status {
                case 200..<300: return .recorded(data)
                case 401, 403: return .notTaken("the daemon did not accept the internal secret (\(status))")
                case 404: return .notTaken("the daemon's inbound hook is off (404)")
                case 408, 429, 500...: return .notTaken("the daemon could not take the report now (\(status) \(detail))")
                default: return .refused(status, detail)
                }
            } catch {
                return .notTaken("cannot reach the daemon at \(base)")
            }
        }

        private func absolute(_ path: String) -> String {
            let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
            return (full as NSString).standardizingPath
        }

        private func nonEmpty(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }

        /// The daemon's own address from `listen`: a wildcard host is reached on loopback.
        static func url(host: String, port: Int) -> String {
            switch host {
            case "0.0.0.0", "": return "http://127.0.0.1:\(port)"
            case "::": return "http://[::1]:\(port)"
            default: return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List received faxes, newest first (at most 100).")

        @Option(help: "Only faxes to this number, as the PBX reported it.")
        var to: String?

        @Option(help: "Only faxes in this status: received, partial or failed.")
        var status: String?

        @Option(help: "Only faxes in this mailbox.")
        var mailbox: String?

        @OptionGroup var client: ClientOptions

        func run() async throws {
            var query: [String] = []
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            for (name, value) in [("to_number", to), ("status", status), ("mailbox", mailbox)] {
                if let value { query.append("\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")") }
            }
            let path = "/inbound" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            try await DaemonClient.with(client) { daemon in
                printJSON(try daemon.check(try await daemon.send(.GET, path)).body)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a received fax, with a pdf_url that works without a key for a while.")

        @Argument(help: "The received fax's id.")
        var id: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await DaemonClient.with(client) { daemon in
                printJSON(try daemon.check(try await daemon.send(.GET, "/inbound/\(id)")).body)
            }
        }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a received fax's PDF.")

        @Argument(help: "The received fax's id.")
        var id: String

        @Option(name: [.short, .customLong("output")], help: "Where to write the PDF (mode 0600).")
        var output: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let reply = try await DaemonClient.with(client) { daemon in
                try daemon.check(try await daemon.send(.GET, "/inbound/\(id)/pdf"))
            }
            let temporary = output + ".\(getpid()).part"
            guard FileManager.default.createFile(atPath: temporary, contents: reply.body, attributes: [.posixPermissions: 0o600]),
                rename(temporary, output) == 0
            else {
                unlink(temporary)
                print("error: cannot write \(output)")
                throw ExitCodes.usage
            }
            print("wrote \(reply.body.count) bytes to \(output)")
        }
    }
}
