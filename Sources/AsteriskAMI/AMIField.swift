/// One `Key: Value` line of an AMI packet.
public struct AMIField: Sendable, Equatable, Hashable {
    /// The key, as it appeared on the wire (AMI compares keys case-insensitively).
    public var key: String
    /// The value; may be empty (Asterisk sends `AccountCode: ` with nothing after the blank).
    public var value: String

    /// Creates a field.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

extension String {
    /// ASCII case-insensitive equality, without allocating lowercased copies.
    @inlinable
    func amiEqualsIgnoringCase(_ other: String) -> Bool {
        var lhs = self.utf8.makeIterator()
        var rhs = other.utf8.makeIterator()
        while true {
            switch (lhs.next(), rhs.next()) {
            case (nil, nil):
                return true
            case (let a?, let b?):
                if a == b { continue }
                let la = (a >= 65 && a <= 90) ? a | 0x20 : a
                let lb = (b >= 65 && b <= 90) ? b | 0x20 : b
                if la != lb { return false }
            default:
                return false
            }
        }
    }
}
