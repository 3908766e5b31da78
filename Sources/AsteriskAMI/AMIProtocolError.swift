/// A violation of AMI framing found by ``AMIDecoder``.
///
/// The decoder recovers by discarding the offending packet, but a connection should treat
/// any protocol error as fatal and reconnect.
public struct AMIProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of violation.
    public enum Kind: Sendable, Equatable {
        /// A packet (or a single unterminated line) grew past `maxMessageBytes`.
        case messageTooLarge(limit: Int)
    }

    /// The kind of violation.
    public var kind: Kind

    /// Creates an error of the given kind.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// A packet grew past `limit` bytes.
    public static func messageTooLarge(limit: Int) -> Self { Self(.messageTooLarge(limit: limit)) }

    public var description: String {
        switch kind {
        case .messageTooLarge(let limit):
            return "AMI packet larger than \(limit) bytes"
        }
    }
}
