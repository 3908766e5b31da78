import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// `POST /_internal/asterisk/inbound`: Faxbot v3's hook for dialplans, behind `X-Internal-Secret`.
@Suite struct InboundHookTests {
    static let secret = "internal-secret-0123456789"

    static func daemon(secret: String? = InboundHookTests.secret) async throws -> TestDaemon {
        try await TestDaemon.make { $0.inbound.secret = secret }
    }

    static func report(_ daemon: TestDaemon, _ name: String = "1700000000.77.tif", callID: String = "1700000000.77") -> [String: Any] {
        [
            "tiff_path": (daemon.config.inboundSpoolDir as NSString).appendingPathComponent(name), "to_number": "+15551230000",
            "from_number": "+15550009876", "faxstatus": "SUCCESS", "faxpages": "2", "uniqueid": callID,
        ]
    }

    @Test func aReportRepeatedFiveTimesIsOneRecord() async throws {
        let daemon = try await Self.daemon()
        let tiff = try InboundSamples.writeFax(pages: 2, into: daemon, name: "1700000000.77.tif")
        try await daemon.withClient { client in
            var ids: Set<String> = []
            for _ in 0..<5 {
                let (status, body) = try await client.hook(Self.report(daemon), secret: Self.secret)
                #expect(status == .ok)
                #expect(body["status"] as? String == "ok")
                ids.insert(try #require(body["id"] as? String))
            }
            #expect(ids.count == 1)
            let (_, list) = try await client.getArray("/inbound")
            #expect(list.count == 1)
            #expect(list.first?["pages"] as? Int == 2)
            #expect(list.first?["status"] as? String == "received")
            #expect(!FileManager.default.fileExists(atPath: tiff))
        }
    }

    @Test(arguments: [nil, "", "wrong-secret-0123456789", secret + "x", String(secret.dropLast())])
    func aWrongOrMissingSecretIs401AndStoresNothing(_ given: String?) async throws {
        let daemon = try await Self.daemon()
        let tiff = try InboundSamples.writeFax(pages: 1, into: daemon, name: "1700000000.77.tif")
        try await daemon.withClient { client in
            let (status, body) = try await client.hook(Self.report(daemon), secret: given)
            #expect(status == .unauthorized)
            #expect(body["detail"] as? String == "Invalid or missing internal secret")
            #expect(try await daemon.faxbot.inboundStore.list(InboundQuery()).isEmpty)
            #expect(FileManager.default.fileExists(atPath: tiff))
        }
    }

    @Test func withoutAConfiguredSecretTheHookDoesNotExist() async throws {
        let daemon = try await Self.daemon(secret: nil)
        try await daemon.withClient { client in
            let (status, _) = try await client.hook(Self.report(daemon), secret: "anything-at-all-0123")
            #expect(status == .notFound)
        }
    }

    @Test(arguments: ["/etc/passwd", "../../../../etc/passwd", "/tmp/x.tif", "relative.tif", "%2e%2e/x.tif"])
    func pathsOutsideTheSpoolAre400(_ path: String) async throws {
        let daemon = try await Self.daemon()
        try await daemon.withClient { client in
            var report = Self.report(daemon)
            report["tiff_path"] = path.hasPrefix("/") || path == "relative.tif" ? path : daemon.config.inboundSpoolDir + "/" + path
            let (status, body) = try await client.hook(report, secret: Self.secret)
            #expect(status == .badRequest, "\(path)")
            #expect(body["detail"] is String)
            #expect(try await daemon.faxbot.inboundStore.list(InboundQuery()).isEmpty)
        }
    }

    @Test func aSymlinkOutOfTheSpoolIs400() async throws {
        let daemon = try await Self.daemon()
        let outside = (daemon.config.dataDir as NSString).appendingPathComponent("secret.tif")
        try InboundSamples.writeFax(pages: 1, to: outside)
        let link = (daemon.config.inboundSpoolDir as NSString).appendingPathComponent("link.tif")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
        try await daemon.withClient { client in
            let (status, _) = try await client.hook(Self.report(daemon, "link.tif"), secret: Self.secret)
            #expect(status == .badRequest)
            #expect(FileManager.default.fileExists(atPath: outside))
        }
    }

    @Test(arguments: [
        "", "[]", "null", "{", #"{"tiff_path": 5, "to_number": "1", "uniqueid": "u"}"#, #"{"to_number": "1", "uniqueid": "u"}"#,
        #"{"tiff_path": "/x.tif", "uniqueid": "u"}"#, #"{"tiff_path": "/x.tif", "to_number": "1"}"#,
        #"{"tiff_path": "/x.tif", "to_number": "1", "uniqueid": "../u"}"#,
        #"{"tiff_path": "/x.tif", "to_number": "1", "uniqueid": "u", "faxstatus": "MAYBE"}"#,
        #"{"tiff_path": "/x.tif", "to_number": "1", "uniqueid": "u", "faxpages": "two"}"#,
        #"{"tiff_path": "/x.tif", "to_number": "1", "uniqueid": "u", "faxpages": true}"#,
        #"{"tiff_path": "/x.tif", "to_number": "1", "uniqueid": "u", "faxpages": -1}"#,
        #"{"tiff_path": "/x.tif", "to_number": ["1"], "uniqueid": "u"}"#,
    ])
    func malformedBodiesAre400(_ body: String) async throws {
        let daemon = try await Self.daemon()
        try await daemon.withClient { client in
            let (status, answer) = try await client.hookRaw(Array(body.utf8), secret: Self.secret)
            #expect(status == .badRequest, "\(body)")
            #expect(answer["detail"] is String)
        }
    }

    @Test func aFailedCallWithoutAFileIsRecordedAsFailed() async throws {
        let daemon = try await Self.daemon()
        try await daemon.withClient { client in
            var report = Self.report(daemon)
            report["faxstatus"] = "FAILED"
            report["faxpages"] = 0
            let (status, body) = try await client.hook(report, secret: Self.secret)
            #expect(status == .ok)
            let (_, fax) = try await client.getJSON("/inbound/\(try #require(body["id"] as? String))")
            #expect(fax["status"] as? String == "failed")
            #expect(fax["pdf_url"] is NSNull)
        }
    }

    @Test func aSuccessReportWithAnUnreadableTIFFIs422() async throws {
        let daemon = try await Self.daemon()
        let garbage = (daemon.config.inboundSpoolDir as NSString).appendingPathComponent("1700000000.77.tif")
        try Data("not a tiff".utf8).write(to: URL(fileURLWithPath: garbage))
        try FileManager.default.setAttributes([.modificationDate: daemon.clock.now()], ofItemAtPath: garbage)
        try await daemon.withClient { client in
            let (status, _) = try await client.hook(Self.report(daemon), secret: Self.secret)
            #expect(status == .unprocessableContent)
            let (missing, _) = try await client.hook(Self.report(daemon, "absent.tif", callID: "absent"), secret: Self.secret)
            #expect(missing == .unprocessableContent)
            #expect(try await daemon.faxbot.inboundStore.list(InboundQuery()).isEmpty)
            #expect(FileManager.default.fileExists(atPath: garbage))
        }
    }
}
