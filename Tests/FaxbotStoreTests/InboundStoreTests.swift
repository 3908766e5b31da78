import FaxbotCore
import FaxbotStore
import Foundation
import Testing

/// An inbound store of one kind, keeping its temporary directory alive as long as it is used.
final class ScratchInboundStore: Sendable {
    let store: any InboundStore
    private let directory: TemporaryDirectory?

    init(_ kind: StoreKind) throws {
        switch kind {
        case .sqliteFile:
            let directory = try TemporaryDirectory()
            self.directory = directory
            store = SQLiteInboundStore(database: try SQLiteDatabase(path: directory.path("faxbot.sqlite")))
        case .sqliteMemory:
            directory = nil
            store = SQLiteInboundStore(database: try SQLiteDatabase.inMemory())
        case .inMemory:
            directory = nil
            store = InMemoryInboundStore()
        }
    }

    deinit { directory?.remove() }
}

enum InboundFixture {
    static func fax(
        _ n: Int, transport: String = "sip", callID: String? = nil, to: String? = "+15551230000", status: InboundStatus = .received,
        mailbox: String = "default", receivedAt: Date = StoreFixture.base, retentionUntil: Date? = StoreFixture.at(86_400),
        pdf: Bool = true
    ) -> InboundFax {
        let id = StoreFixture.jobID(n)
        return InboundFax(
            id: id, transport: transport, callID: callID ?? "1700000000.\(n)", from: "+15550001111", to: to, status: status,
            pages: pdf ? 2 : 0, sizeBytes: pdf ? 1_234 : 0, sha256: pdf ? String(repeating: "cd", count: 32) : nil,
            pdfPath: pdf ? "\(id).pdf" : nil, mailbox: mailbox, error: status == .received ? nil : "line dropped",
            remoteStationID: "+15550001111", receivedAt: receivedAt, createdAt: receivedAt, updatedAt: receivedAt,
            retentionUntil: retentionUntil
        )
    }
}

@Suite struct InboundStoreTests {
    @Test(arguments: StoreKind.allCases)
    func aRecordReadsBackAsStored(kind: StoreKind) async throws {
        let scratch = try ScratchInboundStore(kind)
        let fax = InboundFixture.fax(1)

        #expect(try await scratch.store.insert(fax) == .created(fax))

        #expect(try await scratch.store.fax(id: fax.id) == fax)
        #expect(try await scratch.store.fax(transport: "sip", callID: fax.callID) == fax)
        #expect(try await scratch.store.fax(transport: "freeswitch", callID: fax.callID) == nil)
        #expect(try await scratch.store.hasRecord(pdfPath: "\(fax.id).pdf"))
        #expect(try await !scratch.store.hasRecord(pdfPath: "\(StoreFixture.jobID(2)).pdf"))
    }

    @Test(arguments: StoreKind.allCases)
    func theSameCallReportedAgainReturnsTheFirstRecordUnchanged(kind: StoreKind) async throws {
        let scratch = try ScratchInboundStore(kind)
        let first = InboundFixture.fax(1, callID: "call-a")
        _ = try await scratch.store.insert(first)

        let again = try await scratch.store.insert(InboundFixture.fax(2, callID: "call-a", status: .partial))

        #expect(again == .existing(first))
        #expect(try await scratch.store.fax(id: StoreFixture.jobID(2)) == nil)
        // The same call id on another transport is another call.
        #expect(try await scratch.store.insert(InboundFixture.fax(3, transport: "freeswitch", callID: "call-a")).fax.id == StoreFixture.jobID(3))
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentReportsOfOneCallCreateOneRecordThatEveryoneGets(kind: StoreKind) async throws {
        let scratch = try ScratchInboundStore(kind)
        let store = scratch.store
        let results = try await withThrowingTaskGroup(of: InboundInsertResult.self) { group in
            for n in 1...20 {
                group.addTask { try await store.insert(InboundFixture.fax(n, callID: "same-call")) }
            }
            return try await group.reduce(into: [InboundInsertResult]()) { $0.append($1) }
        }

        let created = results.filter { if case .created = $0 { true } else { false } }
        #expect(created.count == 1)
        #expect(Set(results.map(\.fax.id)).count == 1)
        #expect(try await store.list(InboundQuery()).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func listIsNewestFirstAndFilters(kind: StoreKind) async throws {
        let scratch = try ScratchInboundStore(kind)
        let store = scratch.store
        _ = try await store.insert(InboundFixture.fax(1, to: "+15551230000", receivedAt: StoreFixture.at(10)))
        _ = try await store.insert(InboundFixture.fax(2, to: "+15559990000", mailbox: "billing", receivedAt: StoreFixture.at(30)))
        _ = try await store.insert(InboundFixture.fax(3, to: "+15551230000", status: .failed, receivedAt: StoreFixture.at(20), pdf: false))

        #expect(try await store.list(InboundQuery()).map(\.id) == [2, 3, 1].map(StoreFixture.jobID))
        #expect(try await store.list(InboundQuery(to: "+15551230000")).map(\.id) == [3, 1].map(StoreFixture.jobID))
        #expect(try await store.list(InboundQuery(status: .failed)).map(\.id) == [StoreFixture.jobID(3)])
        #expect(try await store.list(InboundQuery(mailbox: "billing")).map(\.id) == [StoreFixture.jobID(2)])
        #expect(try await store.list(InboundQuery(to: "+15551230000", status: .received)).map(\.id) == [StoreFixture.jobID(1)])
        #expect(try await store.list(InboundQuery(limit: 2)).count == 2)
        #expect(try await store.list(InboundQuery(mailbox: "nobody")).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func listStopsAtOneHundredByDefault(kind: StoreKind) async throws {
        let scratch = try ScratchInboundStore(kind)
        for n in 1...105 { _ = try await scratch.store.insert(InboundFixture.fax(n, receivedAt: StoreFixture.at(n))) }

        let listed = try await scratch.store.list(InboundQuery())

        #expect(listed.count == 100)
        #expect(listed.first?.id == StoreFixture.jobID(105))
    }

    @Test(arguments: StoreKind.allCases)
    func retentionFindsOnlyStoredPDFsWhoseTimeHasCome(kind: StoreKind) async throws {
        let scratch = try ScratchInboundStore(kind)
        let store = scratch.store
        _ = try await store.insert(InboundFixture.fax(1, retentionUntil: StoreFixture.at(100)))
        _ = try await store.insert(InboundFixture.fax(2, retentionUntil: StoreFixture.at(50)))
        _ = try await store.insert(InboundFixture.fax(3, retentionUntil: StoreFixture.at(500)))
        _ = try await store.insert(InboundFixture.fax(4, status: .failed, retentionUntil: StoreFixture.at(10), pdf: false))
        _ = try await store.insert(InboundFixture.fax(5, retentionUntil: nil))

        #expect(try await store.dueForRetention(now: StoreFixture.at(49), limit: 10).isEmpty)
        #expect(try await store.dueForRetention(now: StoreFixture.at(100), limit: 10).map(\.id) == [2, 1].map(StoreFixture.jobID))
        #expect(try await store.dueForRetention(now: StoreFixture.at(100), limit: 1).map(\.id) == [StoreFixture.jobID(2)])

        #expect(try await store.markPDFDeleted(id: StoreFixture.jobID(2), at: StoreFixture.at(101)))
        #expect(try await !store.markPDFDeleted(id: StoreFixture.jobID(2), at: StoreFixture.at(102)))
        #expect(try await !store.markPDFDeleted(id: StoreFixture.jobID(99), at: StoreFixture.at(102)))

        #expect(try await store.dueForRetention(now: StoreFixture.at(100_000), limit: 10).map(\.id) == [1, 3].map(StoreFixture.jobID))
        let deleted = try #require(try await store.fax(id: StoreFixture.jobID(2)))
        #expect(deleted.pdfDeletedAt == StoreFixture.at(101))
        #expect(deleted.updatedAt == StoreFixture.at(101))
        #expect(!deleted.hasPDF)
        #expect(deleted.sha256 != nil)
    }
}
