/// A violation of ESL framing found by ``ESLDecoder`` or when parsing an event body.
///
/// ESL frames are length-delimited, so after a framing error the byte stream cannot be trusted:
/// the decoder stops (every later ``ESLDecoder/next()`` throws the same error) and a connection
/// drops the session and reconnects.
public struct ESLProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of violation.
    public enum Kind: Sendable, Equatable {
        /// A header block, or a `Content-Length`, larger than the limit.
        case frameTooLarge(limit: Int)
        /// A `Content-Length` that is not a decimal number of bytes (negative, garbage, overflowing).
        case invalidContentLength(String)
        /// A header line without `:`, with an empty name, or holding a NUL byte.
        case malformedHeader(String)
        /// A `text/event-plain` body that does not parse (bad header line, inner `Content-Length`
        /// larger than the rest of the body, …).
        case malformedEvent(String)
    }

    /// The kind of violation.
    public var kind: Kind

    /// Creates an error of the given kind.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// A frame larger than `limit` bytes.
    public static func frameTooLarge(limit: Int) -> Self { Self(.frameTooLarge(limit: limit)) }
    /// A `Content-Length` that is not a byte count.
    public static func invalidContentLength(_ text: String) -> Self { Self(.invalidContentLength(text)) }
    /// A header line that does not parse.
    public static func malformedHeader(_ text: String) -> Self { Self(.malformedHeader(text)) }
    /// An event body that does not parse.
    public static func malformedEvent(_ text: String) -> Self { Self(.malformedEvent(text)) }

    public var description: String {
        switch kind {
        case .frameTooLarge(let limit): return "ESL frame larger than \(limit) bytes"
        case .invalidContentLength(let text): return "invalid ESL Content-Length \"\(text)\""
        case .malformedHeader(let text): return "malformed ESL header line \"\(text)\""
        case .malformedEvent(let text): return "malformed ESL event: \(text)"
        }
    }
}
