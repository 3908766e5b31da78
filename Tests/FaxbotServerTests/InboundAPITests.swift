import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FaxbotServer

/// `GET /inbound`, `/inbound/{id}`, `/inbound/{id}/pdf` over HTTP, on the real composition root.
@Suite struct InboundAPITests {
    /// A daemon with one received fax (2 pages, to +15551230000) already recorded.
    static func daemonWithFax(_ adjust: @escaping (inout FaxbotConfig) -> Void = { _ in }) async throws -> (TestDaemon, InboundFax) {
        let daemon = try await TestDaemon.make(adjust)
        let path = (daemon.config.inboundSpoolDir as NSString).appendingPathComponent("1700000000.1.tif")
        try InboundSamples.writeFax(pages: 2, to: path)
        let fax = try await daemon.faxbot.inbound.ingest(
            InboundCall(
                transport: "sip", callID: "1700000000.1", tiffPath: path, from: "+15550009876", to: "+15551230000", succeeded: true, pages: 2))
        return (daemon, fax)
    }

    static func key(_ daemon: TestDaemon, _ scopes: Set<Scope>) async throws -> String {
        let codec = APIKeyCodec(pepper: try #require(daemon.config.sessionPepper))
        let (token, record) = codec.generate(name: "scoped", scopes: scopes, at: daemon.clock.now())
        try await daemon.faxbot.keys.insert(record)
        return token
    }

    @Test func listAndGetShowTheV3FieldsAndAFreshPDFURL() async throws {
        let (daemon, fax) = try await Self.daemonWithFax()
        try await daemon.withClient { client in
            let (status, list) = try await client.getArray("/inbound")
            #expect(status == .ok)
            #expect(list.count == 1)
            let item = try #require(list.first)
            for field in ["id", "fr", "to", "status", "backend", "pages", "size_bytes", "created_at", "received_at", "updated_at", "mailbox"] {
                #expect(item[field] != nil, "\(field)")
            }
            #expect(item["id"] as? String == fax.id)
            #expect(item["fr"] as? String == "+15550009876")
            #expect(item["to"] as? String == "+15551230000")
            #expect(item["status"] as? String == "received")
            #expect(item["backend"] as? String == "sip")
            #expect(item["pages"] as? Int == 2)
            #expect(item["mailbox"] as? String == "default")
            #expect(item["pdf_url"] == nil)

            let (got, detail) = try await client.getJSON("/inbound/\(fax.id)")
            #expect(got == .ok)
            let url = try #require(detail["pdf_url"] as? String)
            #expect(url.hasPrefix("/inbound/\(fax.id)/pdf?token="))
            #expect(detail["sha256"] as? String == fax.sha256)
        }
    }

    @Test func thePDFURLWorksWithoutAKeyWhileKeysAreEnforced() async throws {
        let (daemon, fax) = try await Self.daemonWithFax()
        let stored = try Data(contentsOf: URL(fileURLWithPath: try #require(daemon.faxbot.inbound.pdfPath(of: fax))))
        try await daemon.withClient { client in
            let (_, detail) = try await client.getJSON("/inbound/\(fax.id)")
            let url = try #require(detail["pdf_url"] as? String)

            let (status, body, headers) = try await client.getRaw(url, key: nil)
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/pdf")
            #expect(headers[.cacheControl] == "no-store")
            #expect(body == stored)
            let (withKey, keyBody, _) = try await client.getRaw("/inbound/\(fax.id)/pdf")
            #expect(withKey == .ok)
            #expect(keyBody == stored)
            let (noKeyNoToken, _, _) = try await client.getRaw("/inbound/\(fax.id)/pdf", key: nil)
            #expect(noKeyNoToken == .unauthorized)
        }
    }

    @Test func aTokenOpensOneFaxUntilItExpiresAndCannotBeForged() async throws {
        let (daemon, fax) = try await Self.daemonWithFax { $0.inbound.tokenTTLMinutes = 10 }
        let otherPath = (daemon.config.inboundSpoolDir as NSString).appendingPathComponent("other.tif")
        try InboundSamples.writeFax(pages: 1, to: otherPath)
        let other = try await daemon.faxbot.inbound.ingest(InboundCall(transport: "sip", callID: "other", tiffPath: otherPath, succeeded: true))
        try await daemon.withClient { client in
            let (_, detail) = try await client.getJSON("/inbound/\(fax.id)")
            let url = try #require(detail["pdf_url"] as? String)
            let token = String(try #require(url.split(separator: "=").last))

            let (otherID, _, _) = try await client.getRaw("/inbound/\(other.id)/pdf?token=\(token)", key: nil)
            #expect(otherID == .forbidden)
            let expiry = token.split(separator: ".")[0]
            let (moved, _, _) = try await client.getRaw(
                "/inbound/\(fax.id)/pdf?token=\(Int(expiry)! + 3600).\(token.split(separator: ".")[1])", key: nil)
            #expect(moved == .forbidden)
            for forged in [
                "x", "1.1", "99999999999.AAAA", String(repeating: "9", count: 200),
                "\(expiry).\(token.split(separator: ".")[1].dropLast())\(token.hasSuffix("A") ? "B" : "A")",
            ] {
                let (status, body, _) = try await client.getRaw("/inbound/\(fax.id)/pdf?token=\(forged)", key: nil)
                #expect(status == .forbidden, "\(forged)")
                #expect(String(decoding: body, as: UTF8.self).contains("Invalid or expired token"))
            }

            daemon.clock.advance(by: 599)
            let (stillValid, _, _) = try await client.getRaw(url, key: nil)
            #expect(stillValid == .ok)
            daemon.clock.advance(by: 1)
            let (expired, _, _) = try await client.getRaw(url, key: nil)
            #expect(expired == .forbidden)
            // A key with the scope still opens it, whatever the token says.
            let (keyed, _, _) = try await client.getRaw(url)
            #expect(keyed == .ok)
        }
    }

    @Test func eachRouteNeedsItsScope() async throws {
        let (daemon, fax) = try await Self.daemonWithFax()
        let lister = try await Self.key(daemon, [.inboundList])
        let reader = try await Self.key(daemon, [.inboundRead])
        let sender = try await Self.key(daemon, [.faxSend, .faxRead])
        try await daemon.withClient { client async throws in
            #expect(try await client.getArray("/inbound", key: lister).0 == .ok)
            #expect(try await client.getArray("/inbound", key: reader).0 == .forbidden)
            #expect(try await client.getJSON("/inbound/\(fax.id)", key: reader).0 == .ok)
            let (forbidden, body) = try await client.getJSON("/inbound/\(fax.id)", key: lister)
            #expect(forbidden == .forbidden)
            #expect(body["detail"] as? String == "Insufficient scope: inbound:read required")
            #expect(try await client.getRaw("/inbound/\(fax.id)/pdf", key: reader).0 == .ok)
            #expect(try await client.getRaw("/inbound/\(fax.id)/pdf", key: sender).0 == .forbidden)
            #expect(try await client.getJSON("/inbound/\(fax.id)", key: nil).0 == .unauthorized)
            #expect(try await client.getArray("/inbound", key: "fbk_live_000000000000_nope").0 == .unauthorized)
        }
    }

    @Test func listFiltersByNumberStatusAndMailbox() async throws {
        let (daemon, fax) = try await Self.daemonWithFax {
            $0.inbound.mailboxes = ["15559990000": "billing"]
        }
        let failed = try await daemon.faxbot.inbound.ingest(
            InboundCall(
                transport: "sip", callID: "f1", tiffPath: (daemon.config.inboundSpoolDir as NSString).appendingPathComponent("f1.tif"),
                to: "+15559990000", succeeded: false))
        try await daemon.withClient { client in
            #expect(try await client.ids("/inbound?status=failed") == [failed.id])
            #expect(try await client.ids("/inbound?status=received") == [fax.id])
            #expect(try await client.ids("/inbound?to_number=%2B15551230000") == [fax.id])
            #expect(try await client.ids("/inbound?mailbox=billing") == [failed.id])
            #expect(try await client.ids("/inbound?mailbox=default&status=failed") == [])
            #expect(Set(try await client.ids("/inbound?status=&mailbox=")) == [fax.id, failed.id])
            for bad in ["status=SUCCESS", "to_number=555-1234", "mailbox=a%20b", "to_number=%00"] {
                let (status, _) = try await client.getArray("/inbound?\(bad)")
                #expect(status == .badRequest, "\(bad)")
            }
            let (noPDF, body, _) = try await client.getRaw("/inbound/\(failed.id)/pdf")
            #expect(noPDF == .notFound)
            #expect(String(decoding: body, as: UTF8.self).contains("no PDF"))
            let (_, detail) = try await client.getJSON("/inbound/\(failed.id)")
            #expect(detail["pdf_url"] is NSNull)
            #expect(detail["pdf_available"] as? Bool == false)
        }
    }

    @Test func aPDFPastItsRetentionIsGone() async throws {
        let (daemon, fax) = try await Self.daemonWithFax {
            $0.inbound.retentionDays = 1
            $0.inbound.tokenTTLMinutes = 7 * 24 * 60
        }
        try await daemon.withClient { client in
            let (_, detail) = try await client.getJSON("/inbound/\(fax.id)")
            let url = try #require(detail["pdf_url"] as? String)
            daemon.clock.advance(by: 86_400)
            // The daemon's own retention service may wake on the same clock and get there first.
            _ = await daemon.faxbot.inboundRetention.sweep()
            #expect(try await daemon.faxbot.inboundStore.fax(id: fax.id)?.pdfDeletedAt != nil)

            let (keyed, body, _) = try await client.getRaw("/inbound/\(fax.id)/pdf")
            #expect(keyed == .gone)
            #expect(String(decoding: body, as: UTF8.self).contains("retention"))
            let (tokened, _, _) = try await client.getRaw(url, key: nil)
            #expect(tokened == .gone)
            let (_, after) = try await client.getJSON("/inbound/\(fax.id)")
            #expect(after["pdf_url"] is NSNull)
            #expect(after["pages"] as? Int == 2)
        }
    }

    @Test(arguments: [
        "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcde", "..%2F..%2Fetc%2Fpasswd", "%00", "null",
        "0123456789abcdef0123456789abcdef0", "0123456789abcdef0123456789abcdeg",
    ])
    func hostileIDsAre404(_ id: String) async throws {
        let (daemon, _) = try await Self.daemonWithFax()
        try await daemon.withClient { client async throws in
            #expect(try await client.getJSON("/inbound/\(id)").0 == .notFound)
            #expect(try await client.getRaw("/inbound/\(id)/pdf").0 == .notFound)
            #expect(try await client.getRaw("/inbound/\(id)/pdf?token=1.x", key: nil).0 == .notFound)
        }
    }

    @Test func anUnknownIDIs404() async throws {
        let (daemon, _) = try await Self.daemonWithFax()
        try await daemon.withClient { client in
            let (status, body) = try await client.getJSON("/inbound/\(JobID.make())")
            #expect(status == .notFound)
            #expect(body["detail"] as? String == "Inbound fax not found")
        }
    }

    @Test func disabledInboundAnswers404Everywhere() async throws {
        let daemon = try await TestDaemon.make {
            $0.inbound.enabled = false
            $0.inbound.secret = "internal-secret-0123456789"
        }
        try await daemon.withClient { client in
            #expect(try await client.getArray("/inbound").0 == .notFound)
            #expect(try await client.getJSON("/inbound/\(JobID.make())").0 == .notFound)
            #expect(try await client.getRaw("/inbound/\(JobID.make())/pdf").0 == .notFound)
            let (hook, _) = try await client.hook(["tiff_path": "/x.tif", "to_number": "1", "uniqueid": "1"], secret: "internal-secret-0123456789")
            #expect(hook == .notFound)
        }
    }
}

extension TestClientProtocol {
    func getArray(_ path: String, key: String? = TestDaemon.key) async throws -> (HTTPResponse.Status, [[String: Any]]) {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("X-API-Key")!] = key }
        return try await execute(uri: path, method: .get, headers: headers) { response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [[String: Any]] ?? [])
        }
    }

    func getRaw(_ path: String, key: String? = TestDaemon.key) async throws -> (HTTPResponse.Status, Data, HTTPFields) {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("X-API-Key")!] = key }
        return try await execute(uri: path, method: .get, headers: headers) { response in
            (response.status, Data(response.body.readableBytesView), response.headers)
        }
    }

    func ids(_ path: String) async throws -> [String] {
        let (status, items) = try await getArray(path)
        #expect(status == .ok, "\(path)")
        return items.compactMap { $0["id"] as? String }
    }

    func hook(_ body: [String: Any], secret: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await hookRaw(Array(try JSONSerialization.data(withJSONObject: body)), secret: secret)
    }

    func hookRaw(_ body: [UInt8], secret: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let secret { headers[HTTPField.Name("X-Internal-Secret")!] = secret }
        return try await execute(uri: "/_internal/asterisk/inbound", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, Self.json(response.body))
        }
    }
}
