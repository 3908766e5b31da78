/// A decoded AMI packet: a response to an action or an event.
public struct AMIMessage: Sendable, Equatable {
    /// All `Key: Value` lines in wire order; repeated keys are kept.
    public var fields: [AMIField]
    /// The body lines of a `Response: Follows` packet (up to `--END COMMAND--`), the values of
    /// `Output:` lines, and any line without a `:` (kept rather than rejected).
    public var output: [String]

    /// Creates a message from its fields and optional output lines.
    public init(_ fields: [AMIField], output: [String] = []) {
        self.fields = fields
        self.output = output
    }

    /// The first value for `key`, compared case-insensitively; `nil` when absent.
    public subscript(_ key: String) -> String? {
        for field in fields where field.key.amiEqualsIgnoringCase(key) {
            return field.value
        }
        return nil
    }

    /// Every value for `key` in wire order (for repeated keys such as `Variable`).
    public func values(_ key: String) -> [String] {
        fields.filter { $0.key.amiEqualsIgnoringCase(key) }.map(\.value)
    }

    /// The `Response` value ("Success", "Error", "Follows", "Goodbye"), or `nil` for events.
    public var response: String? { self["Response"] }

    /// The `Event` value, or `nil` for responses.
    public var event: String? { self["Event"] }

    /// The `ActionID` value, if any.
    public var actionID: String? { self["ActionID"] }

    /// The packet as AMI wire text: `Key: Value\r\n` per field, then an empty line.
    ///
    /// A `Response: Follows` packet also gets its output lines and `--END COMMAND--`.
    /// Fields are written as they are; the caller is responsible for CR/LF-free content.
    public func encoded() -> String {
        var text = ""
        text.reserveCapacity(fields.count * 32)
        for field in fields {
            text += field.key
            text += ": "
            text += field.value
            text += "\r\n"
        }
        if let response, response.amiEqualsIgnoringCase("Follows") {
            for line in output {
                text += line
                text += "\r\n"
            }
            text += "--END COMMAND--\r\n"
        }
        text += "\r\n"
        return text
    }
}

extension AMIMessage: CustomStringConvertible {
    /// A one-line summary, e.g. `Event: Hangup [Uniqueid: …]`, for logs.
    public var description: String {
        let head = event.map { "Event: \($0)" } ?? response.map { "Response: \($0)" } ?? "(no Event/Response)"
        return "\(head) (\(fields.count) fields)"
    }
}
