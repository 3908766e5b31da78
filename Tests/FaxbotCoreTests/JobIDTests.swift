import Testing

@testable import FaxbotCore

@Suite struct JobIDTests {
    /// Returns the values it was given, in order, over and over.
    struct ScriptedGenerator: RandomNumberGenerator {
        var values: [UInt64]
        var index = 0

        mutating func next() -> UInt64 {
            defer { index = (index + 1) % values.count }
            return values[index]
        }
    }

    @Test func makeGivesThirtyTwoLowercaseHexCharacters() {
        for _ in 0..<100 {
            let id = JobID.make()
            #expect(id.count == 32)
            #expect(id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }, "\(id)")
            #expect(JobID.isValid(id))
        }
    }

    @Test func makeGivesDifferentIDs() {
        let ids = Set((0..<1_000).map { _ in JobID.make() })
        #expect(ids.count == 1_000)
    }

    @Test func makeUsesTheGivenGenerator() {
        var counting = ScriptedGenerator(values: Array(0..<16))
        #expect(JobID.make(using: &counting) == "0123456789abcdef0123456789abcdef")
        var high = ScriptedGenerator(values: [.max])
        #expect(JobID.make(using: &high) == String(repeating: "f", count: 32))
        var wrapped = ScriptedGenerator(values: [16 + 10, 32 + 11])
        #expect(JobID.make(using: &wrapped) == String(repeating: "ab", count: 16))
    }

    @Test(arguments: [
        "0123456789abcdef0123456789abcdef",
        "00000000000000000000000000000000",
        "ffffffffffffffffffffffffffffffff",
        "3f2504e04f8941d39a0c0305e82c3301",
    ])
    func acceptsThirtyTwoLowercaseHexCharacters(text: String) {
        #expect(JobID.isValid(text))
    }

    @Test(arguments: [
        "",
        "0123456789abcdef0123456789abcde",  // 31
        "0123456789abcdef0123456789abcdef0",  // 33
        "0123456789ABCDEF0123456789ABCDEF",  // uppercase
        "0123456789abcdef0123456789abcdeF",
        "0123456789abcdef0123456789abcdeg",
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301",  // UUID with dashes
        "3f2504e0-4f89-41d3-9a0c-0305e82c",  // 32 characters with dashes
        " 123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcde\n",
        "../../../../../../../etc/passwd0",
        String(repeating: "é", count: 16),  // 32 UTF-8 bytes
        String(repeating: "٠", count: 16),
    ])
    func rejectsAnythingElse(text: String) {
        #expect(!JobID.isValid(text))
    }
}
