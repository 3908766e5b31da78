import FaxbotCore
import FaxbotStore
import Foundation
import Testing

/// The key stores every key test runs against.
enum KeyStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqliteFile
    case sqliteMemory
    case inMemory

    var testDescription: String { rawValue }
}

/// A key store of one kind that owns the temporary directory of its file, if any.
private final class ScratchKeyStore: KeyStore {
    private let store: any KeyStore
    private let directory: TemporaryDirectory?

    init(_ kind: KeyStoreKind) throws {
        switch kind {
        case .sqliteFile:
            let directory = try TemporaryDirectory()
            self.directory = directory
            store = SQLiteKeyStore(database: try SQLiteDatabase(path: directory.path("keys.sqlite")))
        case .sqliteMemory:
            directory = nil
            store = SQLiteKeyStore(database: try SQLiteDatabase.inMemory())
        case .inMemory:
            directory = nil
            store = InMemoryKeyStore()
        }
    }

    deinit { directory?.remove() }

    func insert(_ key: APIKeyRecord) async throws(StoreError) { try await store.insert(key) }

    func key(id: String) async throws(StoreError) -> APIKeyRecord? { try await store.key(id: id) }

    func keys() async throws(StoreError) -> [APIKeyRecord] { try await store.keys() }

    func revoke(id: String, at: Date) async throws(StoreError) -> Bool { try await store.revoke(id: id, at: at) }

    func touch(id: String, at: Date) async throws(StoreError) { try await store.touch(id: id, at: at) }

    func activeKeyCount() async throws(StoreError) -> Int { try await store.activeKeyCount() }

    func keyCount() async throws(StoreError) -> Int { try await store.keyCount() }
}

@Suite struct KeyStoreTests {
    private static func key(_ id: String, createdAt: Int = 0, scopes: Set<Scope> = [.faxSend, .faxRead]) -> APIKeyRecord {
        APIKeyRecord(
            keyID: id, name: "key \(id)", secretHMAC: String(repeating: "f", count: 64), scopes: scopes,
            createdAt: StoreFixture.at(createdAt)
        )
    }

    @Test(arguments: KeyStoreKind.allCases)
    func insertedKeyIsReadable(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        let key = Self.key("k1", scopes: Set(Scope.allCases))

        try await store.insert(key)

        #expect(try await store.key(id: "k1") == key)
        #expect(try await store.key(id: "missing") == nil)
    }

    @Test(arguments: KeyStoreKind.allCases)
    func keyWithoutScopesAndWithDatesRoundTrips(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        var key = Self.key("k1", scopes: [])
        key.lastUsedAt = StoreFixture.at(5)
        key.revokedAt = StoreFixture.at(6)

        try await store.insert(key)

        #expect(try await store.key(id: "k1") == key)
    }

    @Test(arguments: KeyStoreKind.allCases)
    func keysAreListedOldestFirst(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        let keys = [Self.key("b", createdAt: 2), Self.key("c", createdAt: 1), Self.key("a", createdAt: 2)]

        for key in keys { try await store.insert(key) }

        #expect(try await store.keys().map(\.keyID) == ["c", "a", "b"])
        #expect(try await store.keys() == [keys[1], keys[2], keys[0]])
    }

    @Test(arguments: KeyStoreKind.allCases)
    func duplicateInsertThrowsDuplicateAndKeepsTheFirst(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        let first = Self.key("k1")
        var second = Self.key("k1", createdAt: 9)
        second.name = "impostor"
        try await store.insert(first)

        let error = await #expect(throws: StoreError.self) { try await store.insert(second) }

        guard case .duplicate = error else {
            Issue.record("expected .duplicate, got \(String(describing: error))")
            return
        }
        #expect(try await store.key(id: "k1") == first)
        #expect(try await store.keys().count == 1)
    }

    @Test(arguments: KeyStoreKind.allCases)
    func revokeSucceedsOnceThenReportsFalse(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        try await store.insert(Self.key("k1"))

        #expect(try await store.revoke(id: "k1", at: StoreFixture.at(10)))
        #expect(try await store.revoke(id: "k1", at: StoreFixture.at(20)) == false)
        #expect(try await store.revoke(id: "missing", at: StoreFixture.at(20)) == false)
        #expect(try await store.key(id: "k1")?.revokedAt == StoreFixture.at(10))
    }

    @Test(arguments: KeyStoreKind.allCases)
    func activeKeyCountLeavesOutRevokedKeys(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        #expect(try await store.activeKeyCount() == 0)

        for id in ["k1", "k2", "k3"] { try await store.insert(Self.key(id)) }
        #expect(try await store.activeKeyCount() == 3)

        _ = try await store.revoke(id: "k2", at: StoreFixture.at(1))
        #expect(try await store.activeKeyCount() == 2)
        _ = try await store.revoke(id: "k2", at: StoreFixture.at(2))
        #expect(try await store.activeKeyCount() == 2)
        #expect(try await store.keys().count == 3)
        #expect(try await store.keyCount() == 3)
    }

    @Test(arguments: KeyStoreKind.allCases)
    func touchSetsLastUsedAt(kind: KeyStoreKind) async throws {
        let store = try ScratchKeyStore(kind)
        try await store.insert(Self.key("k1"))
        try await store.insert(Self.key("k2"))
        #expect(try await store.key(id: "k1")?.lastUsedAt == nil)

        try await store.touch(id: "k1", at: StoreFixture.at(30))
        #expect(try await store.key(id: "k1")?.lastUsedAt == StoreFixture.at(30))
        try await store.touch(id: "k1", at: StoreFixture.at(31))
        #expect(try await store.key(id: "k1")?.lastUsedAt == StoreFixture.at(31))
        #expect(try await store.key(id: "k2")?.lastUsedAt == nil)

        try await store.touch(id: "missing", at: StoreFixture.at(32))
        #expect(try await store.key(id: "missing") == nil)
    }
}
