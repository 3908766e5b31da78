import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@Suite struct JobCursorTests {
    private static let id = "0123456789abcdef0123456789abcdef"

    @Test func tokenIsMillisecondsDotID() {
        let cursor = JobCursor(createdAt: Date(timeIntervalSince1970: 1_800_000_000.123), id: Self.id)

        #expect(cursor.token == "1800000000123.\(Self.id)")
    }

    @Test(arguments: [0, 1_700_000_000_000, 1_800_000_000_123, 4_102_444_800_999] as [Int64])
    func tokenRoundTrips(millis: Int64) throws {
        let cursor = JobCursor(createdAt: Date(timeIntervalSince1970: Double(millis) / 1000), id: Self.id)

        let parsed = try #require(JobCursor(token: cursor.token))

        #expect(parsed == cursor)
        #expect(parsed.token == cursor.token)
    }

    @Test(arguments: [
        "",
        ".",
        "garbage",
        "1800000000000",
        "1800000000000.",
        ".0123456789abcdef0123456789abcdef",
        "18000x0000000.0123456789abcdef0123456789abcdef",
        "1.5.0123456789abcdef0123456789abcdef",
        "1800000000000.0123456789ABCDEF0123456789ABCDEF",
        "1800000000000.0123456789abcdef",
        "1800000000000.0123456789abcdef0123456789abcdef0",
        "1800000000000.0123456789abcdef0123456789abcdeg",
        "1800000000000.0123456789abcdef0123456789abcdef.1",
        "99999999999999999999999.0123456789abcdef0123456789abcdef",
        "1800000000000;0123456789abcdef0123456789abcdef",
    ])
    func garbageTokensAreRejected(token: String) {
        #expect(JobCursor(token: token) == nil)
    }
}
