import Foundation
import Testing

@testable import FaxbotCore

@Suite struct PhoneNumberTests {
    static let sixDigits = "123456"
    static let twentyDigits = "12345678901234567890"

    @Test(arguments: [sixDigits, "+" + sixDigits, twentyDigits, "+" + twentyDigits, "+15551234567", "0000000", "15551234567"])
    func acceptsAnOptionalPlusAndSixToTwentyDigits(text: String) throws {
        let number = try PhoneNumber(parsing: text)
        #expect(number.rawValue == text)
        #expect(number.digits == text.drop { $0 == "+" })
        #expect(number.digits.count >= 6 && number.digits.count <= 20)
    }

    static let rejected: [(String, PhoneNumber.ParseError)] = [
        ("", .empty),
        ("+", .invalidCharacters),
        ("++123456", .invalidCharacters),
        ("+1 555 123 4567", .invalidCharacters),
        (" 1234567", .invalidCharacters),
        ("1234567 ", .invalidCharacters),
        ("1234567\n", .invalidCharacters),
        ("555-123-4567", .invalidCharacters),
        ("(555)1234567", .invalidCharacters),
        ("12345a7", .invalidCharacters),
        ("CALLME123", .invalidCharacters),
        ("1234567+", .invalidCharacters),
        ("12+34567", .invalidCharacters),
        ("\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}\u{0666}\u{0667}", .invalidCharacters),
        ("\u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}", .invalidCharacters),
        ("+\u{0967}\u{0968}\u{0969}\u{096A}\u{096B}\u{096C}", .invalidCharacters),
        ("12345", .tooShort(digits: 5)),
        ("+12345", .tooShort(digits: 5)),
        ("1", .tooShort(digits: 1)),
        ("123456789012345678901", .tooLong(digits: 21)),
        ("+123456789012345678901", .tooLong(digits: 21)),
        (String(repeating: "9", count: 40), .tooLong(digits: 40)),
    ]

    @Test(arguments: rejected)
    func rejectsWithTheRightReason(entry: (String, PhoneNumber.ParseError)) {
        let (text, error) = entry
        #expect(throws: error) { try PhoneNumber(parsing: text) }
    }

    @Test func arabicIndicDigitsAreRejected() {
        #expect(throws: PhoneNumber.ParseError.invalidCharacters) { try PhoneNumber(parsing: "١٢٣٤٥٦٧") }
    }

    @Test func parseErrorsExplainThemselves() {
        #expect(PhoneNumber.ParseError.empty.reason == "the number is empty")
        #expect(PhoneNumber.ParseError.invalidCharacters.reason.contains("only digits"))
        #expect(PhoneNumber.ParseError.tooShort(digits: 5).reason == "the number has 5 digits; at least 6 are needed")
        #expect(PhoneNumber.ParseError.tooLong(digits: 21).reason == "the number has 21 digits; at most 20 are allowed")
    }

    // MARK: masking

    @Test(arguments: [("+15551234567", "***4567"), ("123456", "***3456"), ("+" + twentyDigits, "***7890")])
    func maskedShowsOnlyTheLastFourDigits(entry: (String, String)) throws {
        let number = try PhoneNumber(parsing: entry.0)
        #expect(number.masked == entry.1)
        #expect(number.lastFour == String(entry.1.suffix(4)))
        #expect(number.description == number.masked)
    }

    @Test func interpolationNeverLeaksTheNumber() throws {
        let number = try PhoneNumber(parsing: "+15551234567")
        let logged = "sending to \(number)"
        #expect(logged == "sending to ***4567")
        #expect(!logged.contains("555123"))
        #expect(String(describing: number) == "***4567")
        #expect(!"\([number])".contains("5551"))
    }

    @Test func numbersWithAndWithoutPlusAreDistinct() throws {
        let plus = try PhoneNumber(parsing: "+15551234567")
        let bare = try PhoneNumber(parsing: "15551234567")
        #expect(plus != bare)
        #expect(plus.digits == bare.digits)
        let again = try PhoneNumber(parsing: "+15551234567")
        #expect(plus == again)
        #expect(plus.hashValue == again.hashValue)
    }

    // MARK: Codable

    @Test func encodesAsTheRawString() throws {
        let data = try JSONEncoder().encode(["to": try PhoneNumber(parsing: "+15551234567")])
        #expect(String(decoding: data, as: UTF8.self) == #"{"to":"+15551234567"}"#)
    }

    @Test(arguments: ["+15551234567", "123456", "+" + twentyDigits])
    func roundTripsThroughJSON(text: String) throws {
        let number = try PhoneNumber(parsing: text)
        let decoded = try JSONDecoder().decode([PhoneNumber].self, from: JSONEncoder().encode([number]))
        #expect(decoded == [number])
        #expect(decoded.first?.rawValue == text)
    }

    @Test(arguments: [#"["12345"]"#, #"["555-1234567"]"#, #"[""]"#, #"["+"]"#])
    func decodingAnInvalidNumberFails(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PhoneNumber].self, from: Data(json.utf8))
        }
    }

    @Test func decodingFailureCarriesTheReason() throws {
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode([PhoneNumber].self, from: Data(#"["12345"]"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription == PhoneNumber.ParseError.tooShort(digits: 5).reason)
        #expect(context.codingPath.count == 1)
    }

    @Test func decodingANonStringFails() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PhoneNumber].self, from: Data("[15551234567]".utf8))
        }
    }
}
