import FaxbotCore
import FaxbotServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The Faxbot v3 contract that the published SDKs depend on.
@Suite struct FaxV3ContractTests {
    @Test func healthNeedsNoKey() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, body) = try await client.getJSON("/health", key: nil)
            #expect(status == .ok)
            #expect(body["status"] as? String == "ok")
        }
    }

    @Test func postFaxAnswers202WithTheV3JobShape() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, job, _) = try await client.submit(.fax())
            #expect(status == .accepted)
            let id = try #require(job["id"] as? String)
            #expect(JobID.isValid(id))
            #expect(job["to"] as? String == "+15551230000")
            #expect(["queued", "in_progress"].contains(job["status"] as? String))
            #expect(job["backend"] as? String == "test")
            #expect(job["pages"] as? Int == 2)
            for key in ["error", "provider_sid", "created_at", "updated_at"] { #expect(job.keys.contains(key)) }
            let created = try #require(job["created_at"] as? String)
            #expect(created.hasSuffix("Z"))
            #expect((try? Date(created, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))) != nil)
            let (getStatus, fetched) = try await client.getJSON("/fax/\(id)")
            #expect(getStatus == .ok)
            #expect(fetched["id"] as? String == id)
        }
    }

    @Test func textFilesAreAcceptedByContent() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, job, _) = try await client.submit(.fax(file: Samples.text, filename: "notes.pdf"))
            #expect(status == .accepted)
            #expect(job["pages"] as? Int == 1)
        }
    }

    @Test(arguments: ["+1 555 123 0000", "555-123-0000", "12345", "+123456789012345678901", "abc1234567", "", "+"])
    func badNumbersGet400(_ number: String) async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, body, _) = try await client.submit(.fax(to: number))
            #expect(status == .badRequest)
            #expect(body["detail"] as? String == "'to' must be E.164 or digits only")
        }
    }

    @Test func wrongKeyOrNoKeyGets401() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            for key in [nil, "wrong", "fbk_live_0123456789ab_nope"] as [String?] {
                let (status, body, _) = try await client.submit(.fax(), key: key)
                #expect(status == .unauthorized)
                #expect(body["detail"] as? String == "Invalid or missing API key")
            }
            let (status, _) = try await client.getJSON("/fax/\(String(repeating: "a", count: 32))", key: "wrong")
            #expect(status == .unauthorized)
        }
    }

    @Test func unsupportedContentGets415AndEmptyFileGets400() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (png, pngBody, _) = try await client.submit(.fax(file: Samples.png, filename: "scan.pdf"))
            #expect(png == .unsupportedMediaType)
            #expect(pngBody["detail"] as? String == "Only PDF and TXT are allowed")
            let (binary, _, _) = try await client.submit(.fax(file: [0x25, 0x50, 0x00, 0xFF, 0xFE], filename: "x.txt"))
            #expect(binary == .unsupportedMediaType)
            let (empty, emptyBody, _) = try await client.submit(.fax(file: [], filename: "empty.pdf"))
            #expect(empty == .badRequest)
            #expect(emptyBody["detail"] as? String == "File is empty")
        }
    }

    @Test func missingFieldsGet422InFastAPIShape() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (noTo, body, _) = try await client.submit(.fax(to: nil))
            #expect(noTo == .unprocessableContent)
            let detail = try #require(body["detail"] as? [[String: Any]])
            #expect((detail.first?["loc"] as? [String]) == ["body", "to"])
            let (noFile, fileBody, _) = try await client.submit(.fax(file: nil))
            #expect(noFile == .unprocessableContent)
            #expect(((fileBody["detail"] as? [[String: Any]])?.first?["loc"] as? [String]) == ["body", "file"])
        }
    }

    @Test func oversizedUploadGets413() async throws {
        let daemon = try await TestDaemon.make { $0.maxFileSizeMB = 1 }
        try await daemon.withClient { client in
            let big = [UInt8](repeating: 0x41, count: 1024 * 1024 + 1)
            let (status, body, _) = try await client.submit(.fax(file: big, filename: "big.txt"))
            #expect(status == .contentTooLarge)
            #expect(body["detail"] as? String == "File exceeds 1 MB limit")
            let (list, page) = try await client.getJSON("/fax")
            #expect(list == .ok)
            #expect((page["items"] as? [Any])?.isEmpty == true)
            let incoming = (daemon.config.spoolDir as NSString).appendingPathComponent("incoming")
            #expect(try FileManager.default.contentsOfDirectory(atPath: incoming).isEmpty)
        }
    }

    @Test func unknownIdsGet404() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            for id in [String(repeating: "0", count: 32), "nope", "..%2F..%2Fetc%2Fpasswd", String(repeating: "z", count: 32)] {
                let (status, body) = try await client.getJSON("/fax/\(id)")
                #expect(status == .notFound)
                #expect(body["detail"] as? String == "Job not found")
            }
            let (traversal, _) = try await client.getJSON("/fax/../../etc/passwd")
            #expect(traversal == .notFound)
            let (route, routeBody) = try await client.getJSON("/no/such/route")
            #expect(route == .notFound)
            #expect(routeBody["detail"] as? String == "Not Found")
        }
    }

    @Test func malformedMultipartGets400() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            var truncated = Form.fax().body
            truncated.moveWriterIndex(to: truncated.writerIndex - 30)
            let status = try await client.execute(uri: "/fax", method: .post, headers: Form.headers(), body: truncated) { $0.status }
            #expect(status == .badRequest)
            var garbage = ByteBuffer()
            garbage.writeString("this is not multipart at all")
            let garbageStatus = try await client.execute(uri: "/fax", method: .post, headers: Form.headers(), body: garbage) { $0.status }
            #expect(garbageStatus == .badRequest)
            var headers = Form.headers()
            headers[.contentType] = "application/json"
            let json = try await client.execute(uri: "/fax", method: .post, headers: headers, body: Form.fax().body) { $0.status }
            #expect(json == .unprocessableContent)
        }
    }
}
