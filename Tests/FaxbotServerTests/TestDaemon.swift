import FaxTransports
import FaxbotCore
import FaxbotServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A daemon built by the real composition root, on a temp data dir and a manual clock.
struct TestDaemon {
    let config: FaxbotConfig
    let clock: ManualClock
    let faxbot: Faxbot

    static let key = "test-bootstrap-key"

    static func make(_ adjust: (inout FaxbotConfig) -> Void = { _ in }) async throws -> TestDaemon {
        var config = FaxbotConfig()
        config.dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-test-\(UUID().uuidString)").path
        config.apiKey = key
        config.sessionPepper = "pepper-for-tests-0123456789"
        config.testTransport.stepDelay = 1
        config.listenPort = 0
        config.drainTimeout = 0
        // API tests hand documents through unconverted: this process is the test runner, not a
        // `faxbot` binary that could serve as the conversion worker (see DispatcherPipelineTests).
        config.testTransport.documentFormat = .original
        adjust(&config)
        let clock = ManualClock()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let faxbot = try await buildApplication(config: config, clock: clock, jitter: { 0.5 }, logger: logger)
        return TestDaemon(config: config, clock: clock, faxbot: faxbot)
    }

    func withClient<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        defer { try? FileManager.default.removeItem(atPath: config.dataDir) }
        return try await faxbot.application.test(.router, body)
    }
}

/// Builds `multipart/form-data` request bodies.
struct Form {
    static let boundary = "XyZBoundary123"
    var parts: [(name: String, filename: String?, data: [UInt8])] = []

    static func fax(to: String? = "+15551230000", file: [UInt8]? = Samples.pdf, filename: String = "doc.pdf") -> Form {
        var form = Form()
        if let to { form.parts.append((name: "to", filename: nil, data: Array(to.utf8))) }
        if let file { form.parts.append((name: "file", filename: filename, data: file)) }
        return form
    }

    func adding(_ name: String, _ value: String) -> Form {
        var copy = self
        copy.parts.append((name: name, filename: nil, data: Array(value.utf8)))
        return copy
    }

    var body: ByteBuffer {
        var buffer = ByteBuffer()
        for part in parts {
            buffer.writeString("--\(Self.boundary)\r\n")
            if let filename = part.filename {
                buffer.writeString("Content-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(filename)\"\r\n")
                buffer.writeString("Content-Type: application/octet-stream\r\n\r\n")
            } else {
                buffer.writeString("Content-Disposition: form-data; name=\"\(part.name)\"\r\n\r\n")
            }
            buffer.writeBytes(part.data)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(Self.boundary)--\r\n")
        return buffer
    }

    static func headers(key: String? = TestDaemon.key, idempotencyKey: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if let key { fields[HTTPField.Name("X-API-Key")!] = key }
        if let idempotencyKey { fields[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return fields
    }
}

enum Samples {
    static let pdf = Array(
        "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Page >> endobj\n3 0 obj << /Type /Pages >> endobj\n%%EOF\n".utf8)
    static let text = Array("Patient summary\nLine two ✓ naïve\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
}

extension TestClientProtocol {
    /// POSTs a fax form; returns status and decoded JSON.
    func submit(
        _ form: Form, path: String = "/fax", key: String? = TestDaemon.key, idempotencyKey: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any], HTTPFields) {
        try await execute(uri: path, method: .post, headers: Form.headers(key: key, idempotencyKey: idempotencyKey), body: form.body) {
            response in
            (response.status, Self.json(response.body), response.headers)
        }
    }

    func getJSON(_ path: String, key: String? = TestDaemon.key) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("X-API-Key")!] = key }
        return try await execute(uri: path, method: .get, headers: headers) { response in (response.status, Self.json(response.body)) }
    }

    func postJSON(_ path: String, key: String? = TestDaemon.key) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("X-API-Key")!] = key }
        return try await execute(uri: path, method: .post, headers: headers) { response in (response.status, Self.json(response.body)) }
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }
}
