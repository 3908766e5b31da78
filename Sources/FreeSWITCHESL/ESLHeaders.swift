/// One `Name: value` line of an ESL frame or event.
public struct ESLField: Sendable, Equatable, Hashable {
    /// The header name, as on the wire (FreeSWITCH compares names case-sensitively).
    public var key: String
    /// The value; URL-decoded for event headers, as received for outer frame headers.
    public var value: String

    /// Creates a field.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// The ordered headers of an ESL frame or event. Names may repeat; order is kept.
public struct ESLHeaders: Sendable, Equatable, Hashable, ExpressibleByDictionaryLiteral {
    /// Every header in wire order.
    public var fields: [ESLField]

    /// Creates headers from fields in order.
    public init(_ fields: [ESLField] = []) {
        self.fields = fields
    }

    /// Creates headers from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { ESLField($0.0, $0.1) }
    }

    /// The first value for `key` (case-sensitive, as FreeSWITCH); `nil` when absent.
    ///
    /// Setting replaces the first value (appending when absent); setting `nil` removes every value.
    public subscript(_ key: String) -> String? {
        get {
            for field in fields where field.key == key { return field.value }
            return nil
        }
        set {
            guard let newValue else {
                fields.removeAll { $0.key == key }
                return
            }
            if let index = fields.firstIndex(where: { $0.key == key }) {
                fields[index].value = newValue
            } else {
                fields.append(ESLField(key, newValue))
            }
        }
    }

    /// Every value for `key` in wire order (FreeSWITCH repeats some, e.g. `Hangup-Cause`).
    public func values(_ key: String) -> [String] {
        fields.filter { $0.key == key }.map(\.value)
    }

    /// Appends a header (keeping any earlier one of the same name).
    public mutating func append(_ key: String, _ value: String) {
        fields.append(ESLField(key, value))
    }

    /// The number of header lines.
    public var count: Int { fields.count }

    /// `true` when there are no headers.
    public var isEmpty: Bool { fields.isEmpty }
}
