/// A destination fax number: `+` and 6–20 digits, exactly what Faxbot v3 accepted (`^[+]?\d{6,20}$`).
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The number as given (an optional leading `+`, then digits).
    public let rawValue: String

    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case invalidCharacters
        case tooShort(digits: Int)
        case tooLong(digits: Int)

        /// The reason in plain words.
        public var reason: String {
            switch self {
            case .empty: "the number is empty"
            case .invalidCharacters: "only digits and one leading '+' are allowed (no spaces, dashes or letters)"
            case .tooShort(let n): "the number has \(n) digits; at least 6 are needed"
            case .tooLong(let n): "the number has \(n) digits; at most 20 are allowed"
            }
        }
    }

    public init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty else { throw .empty }
        let digits = text.hasPrefix("+") ? Substring(text.utf8.dropFirst()).description : text
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { throw .invalidCharacters }
        let count = digits.utf8.count
        if count < 6 { throw .tooShort(digits: count) }
        if count > 20 { throw .tooLong(digits: count) }
        self.rawValue = text
    }

    /// The digits without the leading `+`.
    public var digits: Substring {
        rawValue.hasPrefix("+") ? rawValue.dropFirst() : Substring(rawValue)
    }

    /// The last four digits, which decide the test transport's behaviour.
    public var lastFour: String { String(digits.suffix(4)) }

    /// Safe for logs: everything but the last four digits masked.
    public var masked: String { "***" + lastFour }

    public var description: String { masked }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.reason))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
