import Foundation
import Testing

/// The hostile and odd documents of Tests/Fixtures/documents, generated once per test run by
/// `make_corpus.py` (deterministic bytes) into a scratch directory.
struct HostileCorpus: Sendable {
    struct Entry: Codable, Sendable, CustomTestStringConvertible {
        var file: String
        var description: String
        var expect: String
        var pages: Int?
        var reason_contains: String?
        var category: String?

        var testDescription: String { file }
    }

    let directory: String
    let entries: [Entry]

    static let shared: HostileCorpus = generate()

    static func generate() -> HostileCorpus {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-corpus-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fixtures/documents/make_corpus.py")
            .standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, directory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return HostileCorpus(directory: directory, entries: []) }
        process.waitUntilExit()
        let manifest = (directory as NSString).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifest), let entries = try? JSONDecoder().decode([Entry].self, from: data) else {
            return HostileCorpus(directory: directory, entries: [])
        }
        return HostileCorpus(directory: directory, entries: entries)
    }

    func path(_ entry: Entry) -> String { (directory as NSString).appendingPathComponent(entry.file) }
}
