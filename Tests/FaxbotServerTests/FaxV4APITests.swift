import FaxbotCore
import FaxbotServer
import FaxbotStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct FaxV4APITests {
    @Test func sendAnswers200WithOptions() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let form = Form.fax().adding("header", "Clinic A").adding("from", "+15551239999").adding("resolution", "standard")
            let (status, job, _) = try await client.submit(form, path: "/fax/send")
            #expect(status == .ok)
            #expect(job["header"] as? String == "Clinic A")
            #expect(job["from"] as? String == "+15551239999")
            #expect(job["resolution"] as? String == "standard")
            #expect(job["max_attempts"] as? Int == 3)
            let id = try #require(job["id"] as? String)
            let (again, fetched) = try await client.getJSON("/fax/status/\(id)")
            #expect(again == .ok)
            #expect(fetched["header"] as? String == "Clinic A")
        }
    }

    @Test(arguments: [
        ("header", String(repeating: "x", count: 51)), ("resolution", "ultra"), ("provider", "phaxio"), ("from", "not-a-number"),
    ])
    func sendRejectsBadOptions(_ field: String, _ value: String) async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, body, _) = try await client.submit(Form.fax().adding(field, value), path: "/fax/send")
            #expect(status == .badRequest)
            #expect(body["detail"] is String)
            let (_, page) = try await client.getJSON("/fax")
            #expect((page["items"] as? [Any])?.count == 0)
        }
    }

    @Test func idempotencyKeyReturnsTheOriginalJob() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (first, job, firstHeaders) = try await client.submit(.fax(), idempotencyKey: "order-42")
            let (second, replay, headers) = try await client.submit(.fax(), idempotencyKey: "order-42")
            #expect(first == .accepted)
            #expect(second == .accepted)
            #expect(replay["id"] as? String == job["id"] as? String)
            #expect(firstHeaders[HTTPField.Name("Idempotent-Replayed")!] == nil)
            #expect(headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let (conflict, body, _) = try await client.submit(.fax(to: "+15551239999"), idempotencyKey: "order-42")
            #expect(conflict == .unprocessableContent)
            #expect(body["detail"] as? String == "Idempotency-Key was already used with a different request")
            let (_, page) = try await client.getJSON("/fax")
            #expect((page["items"] as? [Any])?.count == 1)
            let spool = try FileManager.default.contentsOfDirectory(atPath: daemon.config.spoolDir).filter { $0 != "incoming" }
            #expect(spool == ["\(try #require(job["id"] as? String)).pdf"])
        }
    }

    @Test(arguments: ["", String(repeating: "k", count: 129), "tab\there", "naïve"])
    func invalidIdempotencyKeysGet400(_ key: String) async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, _, _) = try await client.submit(.fax(), idempotencyKey: key)
            #expect(status == .badRequest)
        }
    }

    @Test func concurrentSubmitsWithOneKeyCreateOneJob() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        let (status, job, _) = try await client.submit(.fax(), idempotencyKey: "same-key")
                        return status == .accepted ? job["id"] as? String : nil
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(ids.count == 200)
            #expect(Set(ids.compactMap { $0 }).count == 1)
            #expect(ids.allSatisfy { $0 != nil })
            let (_, page) = try await client.getJSON("/fax?limit=200")
            #expect((page["items"] as? [Any])?.count == 1)
        }
    }

    @Test func listPagesWithCursorAndFilters() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            var created: Set<String> = []
            for index in 0..<7 {
                let (_, job, _) = try await client.submit(.fax(to: "+1555123\(String(format: "%04d", 1000 + index))"))
                created.insert(try #require(job["id"] as? String))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/fax?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let (status, page) = try await client.getJSON(path)
                #expect(status == .ok)
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 7)
            #expect(Set(seen) == created)
            let (_, filtered) = try await client.getJSON("/fax?to=%2B15551231003")
            #expect((filtered["items"] as? [Any])?.count == 1)
            for bad in ["/fax?status=SUCCESS", "/fax?limit=0", "/fax?limit=999", "/fax?cursor=garbage"] {
                let (status, _) = try await client.getJSON(bad)
                #expect(status == .badRequest)
            }
        }
    }

    @Test func cancelQueuedJobThenConflictWhenTerminal() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            // Two faxes to one number: the second waits while the first is in flight.
            let (_, first, _) = try await client.submit(.fax(to: "+15551234444"))
            let (_, second, _) = try await client.submit(.fax(to: "+15551234444"))
            // Jobs accepted in the same millisecond may be claimed in either order: cancel the one that waits.
            let ids = [try #require(first["id"] as? String), try #require(second["id"] as? String)]
            var waiting: String?
            for _ in 0..<2000 where waiting == nil {
                for candidate in ids {
                    let (_, other) = try await client.getJSON("/fax/\(ids.first { $0 != candidate }!)")
                    if other["status"] as? String == "in_progress" { waiting = candidate }
                }
                if waiting == nil { try await Task.sleep(for: .milliseconds(2)) }
            }
            let id = try #require(waiting)
            #expect(try await client.getJSON("/fax/\(id)").1["status"] as? String == "queued")
            let (status, canceled) = try await client.postJSON("/fax/\(id)/cancel")
            #expect(status == .ok)
            #expect(canceled["status"] as? String == "canceled")
            #expect(canceled["failure_cause"] as? String == "canceled")
            let (again, body) = try await client.postJSON("/fax/\(id)/cancel")
            #expect(again == .conflict)
            #expect((body["detail"] as? String)?.contains("canceled") == true)
            let (events, log) = try await client.getJSON("/fax/\(id)/events")
            #expect(events == .ok)
            let items = try #require(log["items"] as? [[String: Any]])
            #expect(items.first?["event"] as? String == "accepted")
            #expect(items.compactMap { $0["to"] as? String }.contains("canceled"))
            #expect(items.map { $0["seq"] as? Int } == Array(1...items.count))
        }
    }

    @Test func storedKeysHaveScopesAndCanBeRevoked() async throws {
        let daemon = try await TestDaemon.make()
        let codec = APIKeyCodec(pepper: try #require(daemon.config.sessionPepper))
        let (readOnly, record) = codec.generate(name: "ehr", scopes: [.faxRead], at: daemon.clock.now())
        try await daemon.faxbot.keys.insert(record)
        let (sender, senderRecord) = codec.generate(name: "sender", scopes: [.faxSend, .faxRead], at: daemon.clock.now())
        try await daemon.faxbot.keys.insert(senderRecord)
        try await daemon.withClient { client in
            let (forbidden, body, _) = try await client.submit(.fax(), key: readOnly)
            #expect(forbidden == .forbidden)
            #expect(body["detail"] as? String == "Insufficient scope: fax:send required")
            let (accepted, job, _) = try await client.submit(.fax(), key: sender)
            #expect(accepted == .accepted)
            let id = try #require(job["id"] as? String)
            let (read, _) = try await client.getJSON("/fax/\(id)", key: readOnly)
            #expect(read == .ok)
            _ = try await daemon.faxbot.keys.revoke(id: record.keyID, at: daemon.clock.now())
            let (revoked, _) = try await client.getJSON("/fax/\(id)", key: readOnly)
            #expect(revoked == .unauthorized)
            let tampered = String(sender.dropLast()) + (sender.hasSuffix("A") ? "B" : "A")
            let (bad, _) = try await client.getJSON("/fax/\(id)", key: tampered)
            #expect(bad == .unauthorized)
        }
        let stored = try #require(try await daemon.faxbot.keys.key(id: senderRecord.keyID))
        #expect(!stored.secretHMAC.contains(String(sender.suffix(20))))
        #expect(stored.lastUsedAt != nil)
    }
}
