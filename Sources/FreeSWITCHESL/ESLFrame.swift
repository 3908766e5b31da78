/// One outer ESL frame: its header block and, when it has a `Content-Length`, exactly that many body bytes.
public struct ESLFrame: Sendable, Equatable {
    /// The outer headers (`Content-Type`, `Reply-Text`, `Job-UUID`, `Content-Length`, …), values as received.
    public var headers: ESLHeaders
    /// The body, present exactly when the frame had a `Content-Length` header.
    public var body: [UInt8]?

    /// Creates a frame.
    public init(headers: ESLHeaders, body: [UInt8]? = nil) {
        self.headers = headers
        self.body = body
    }

    /// The `Content-Type` (`auth/request`, `command/reply`, `api/response`, `text/event-plain`, …).
    public var contentType: String? { headers["Content-Type"] }

    /// The body as UTF-8 text (invalid sequences repaired with U+FFFD), or `nil` without a body.
    public var bodyText: String? { body.map { String(decoding: $0, as: UTF8.self) } }

    /// The frame as ESL wire bytes: headers, with `Content-Length` set to the body's size (or removed
    /// when there is no body), a blank line, then the body.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + (body?.count ?? 0))
        var headers = self.headers
        headers["Content-Length"] = body.map { String($0.count) }
        for field in headers.fields {
            out.append(contentsOf: field.key.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(10)
        }
        out.append(10)
        if let body { out.append(contentsOf: body) }
        return out
    }
}
