/// An action to send to Asterisk, e.g. `Originate` or `DBGet`.
public struct AMIAction: Sendable, Equatable {
    /// The action name (the `Action:` value).
    public var name: String
    /// The action's fields in order, without `Action` and `ActionID`; keys may repeat (`Variable`).
    public var fields: [AMIField]

    /// Creates an action.
    public init(_ name: String, _ fields: [AMIField] = []) {
        self.name = name
        self.fields = fields
    }

    /// The wire text `Action: X\r\nActionID: id\r\nKey: Value\r\n...\r\n`.
    ///
    /// - Throws: ``AMIError/invalidAction(_:)`` when the name, the ActionID, a key or a value holds
    ///   CR or LF, when a key is empty or holds `:`, or when a field is named `Action` or `ActionID`
    ///   (those are written by this method; a second one would break ActionID correlation).
    public func encoded(actionID: String) throws(AMIError) -> String {
        try Self.check(value: name, what: "action name")
        guard !name.isEmpty else { throw .invalidAction("empty action name") }
        try Self.check(value: actionID, what: "ActionID")
        var text = "Action: \(name)\r\nActionID: \(actionID)\r\n"
        for field in fields {
            try Self.check(key: field.key)
            try Self.check(value: field.value, what: "value of \(field.key)")
            text += field.key
            text += ": "
            text += field.value
            text += "\r\n"
        }
        text += "\r\n"
        return text
    }

    private static func check(key: String) throws(AMIError) {
        guard !key.isEmpty else { throw .invalidAction("empty field key") }
        for byte in key.utf8 where byte == 13 || byte == 10 || byte == 58 {
            throw .invalidAction("field key holds CR, LF or ':'")
        }
        if key.amiEqualsIgnoringCase("Action") || key.amiEqualsIgnoringCase("ActionID") {
            throw .invalidAction("field key \(key) is reserved")
        }
    }

    private static func check(value: String, what: String) throws(AMIError) {
        for byte in value.utf8 where byte == 13 || byte == 10 {
            throw .invalidAction("\(what) holds CR or LF")
        }
    }
}
