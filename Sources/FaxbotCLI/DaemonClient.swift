import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where the daemon is and how to authenticate, shared by the client commands.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "Daemon URL (env FAXBOT_URL; default http://127.0.0.1:8080).")
    var url: String?

    @Option(name: .long, help: "API key (env FAXBOT_API_KEY or API_KEY).")
    var apiKey: String?

    var resolvedURL: String {
        let value = url ?? ProcessInfo.processInfo.environment["FAXBOT_URL"] ?? "http://127.0.0.1:8080"
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    var resolvedKey: String? {
        let environment = ProcessInfo.processInfo.environment
        return apiKey ?? environment["FAXBOT_API_KEY"] ?? environment["API_KEY"]
    }
}

/// A small HTTP client for the daemon's API, with plain-word errors.
struct DaemonClient {
    let options: ClientOptions
    let http: HTTPClient

    /// Runs `body` with a client of its own: a refused connection fails at once (no retrying
    /// until the deadline), and `connections` requests may be in flight together.
    static func with<T>(_ options: ClientOptions, connections: Int = 1, _ body: (DaemonClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(DaemonClient(options: options, http: http))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    struct Reply {
        var status: Int
        var body: Data
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: options.resolvedURL + path)
        request.method = method
        if let key = options.resolvedKey { request.headers.add(name: "X-API-Key", value: key) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            let buffer = try await response.body.collect(upTo: 16 << 20)
            return Reply(status: Int(response.status.code), body: Data(buffer.readableBytesView))
        } catch {
            print("error: cannot reach the daemon at \(options.resolvedURL) (\(error)). Is `faxbot serve` running?")
            throw ExitCodes.unreachable
        }
    }

    /// Prints the daemon's error in plain words and exits non-zero, unless the status is expected.
    func check(_ reply: Reply, expecting: Set<Int> = [200]) throws -> Reply {
        guard !expecting.contains(reply.status) else { return reply }
        let detail: String
        if let value = reply.json?["detail"] as? String {
            detail = value
        } else if let list = reply.json?["detail"] as? [[String: Any]] {
            detail = list.compactMap { ($0["loc"] as? [Any])?.last.map { "missing field '\($0)'" } }.joined(separator: ", ")
        } else {
            detail = String(decoding: reply.body, as: UTF8.self)
        }
        print("error: the daemon answered \(reply.status): \(detail)")
        throw ExitCodes.rejected
    }
}

/// Builds a `multipart/form-data` body.
struct MultipartBody {
    let boundary = "faxbot-\(UUID().uuidString)"
    private(set) var data = Data()

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func field(_ name: String, _ value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    mutating func file(_ name: String, filename: String, contentType: String, _ content: Data) {
        data.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n"
                    .utf8)
        )
        data.append(content)
        data.append(Data("\r\n".utf8))
    }

    func finished() -> Data { data + Data("--\(boundary)--\r\n".utf8) }
}

func printJSON(_ data: Data) {
    if let object = try? JSONSerialization.jsonObject(with: data),
        let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    {
        print(String(decoding: pretty, as: UTF8.self))
    } else {
        print(String(decoding: data, as: UTF8.self))
    }
}
