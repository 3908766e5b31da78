/// A FreeSWITCH event, parsed from a `text/event-plain` frame body.
public struct ESLEvent: Sendable, Equatable {
    /// The event headers in wire order, values URL-decoded. The inner `Content-Length` is not kept:
    /// it is implied by ``body``.
    public var headers: ESLHeaders
    /// The event's own body (after its inner `Content-Length`), e.g. BACKGROUND_JOB's `+OK <uuid>\n`.
    public var body: String?

    /// Creates an event.
    public init(headers: ESLHeaders, body: String? = nil) {
        self.headers = headers
        self.body = body
    }

    /// The first value for `key`, URL-decoded (case-sensitive, as FreeSWITCH).
    public subscript(_ key: String) -> String? { headers[key] }

    /// `Event-Name`, e.g. `CHANNEL_ANSWER`, `BACKGROUND_JOB`, `CUSTOM`.
    public var name: String? { headers["Event-Name"] }
    /// `Event-Subclass` of CUSTOM events, decoded: `spandsp::txfaxresult`.
    public var subclass: String? { headers["Event-Subclass"] }
    /// `Unique-ID`, the channel's uuid (for an originated A leg: its `origination_uuid`).
    public var uniqueID: String? { headers["Unique-ID"] }
    /// `Job-UUID` of a BACKGROUND_JOB.
    public var jobUUID: String? { headers["Job-UUID"] }

    /// Parses a `text/event-plain` body: `Name: url-encoded-value` lines, a blank line, and, when the
    /// headers hold a `Content-Length`, exactly that many bytes of body.
    ///
    /// Lines end with LF (a CR before it is dropped). A body without the blank line is accepted
    /// (the headers run to the end). A NUL byte in the header block, a line without `:` or with an
    /// empty name, an invalid inner `Content-Length`, or one larger than the bytes that follow, throws.
    public init(plain bytes: some Collection<UInt8>) throws(ESLProtocolError) {
        let array = Array(bytes)
        var result: Result<ESLEvent, ESLProtocolError> = .failure(.malformedEvent("empty"))
        array.withUnsafeBufferPointer { buffer in
            result = Self.parse(buffer)
        }
        self = try result.get()
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<ESLEvent, ESLProtocolError> {
        var headers = ESLHeaders()
        var contentLength: Int?
        var index = 0
        let count = buffer.count
        while index < count {
            var end = index
            while end < count && buffer[end] != 10 { end += 1 }
            var trimmed = end
            if trimmed > index && buffer[trimmed - 1] == 13 { trimmed -= 1 }
            let line = UnsafeBufferPointer(rebasing: buffer[index..<trimmed])
            index = end < count ? end + 1 : end
            if line.isEmpty {
                if headers.isEmpty && contentLength == nil { continue }
                break
            }
            switch ESLHeaderLine.split(line, decodingValue: true) {
            case .failure(let error):
                return .failure(.malformedEvent(error.description))
            case .success(let (key, value)):
                if key == "Content-Length" {
                    guard let length = ESLHeaderLine.contentLength(value) else {
                        return .failure(.malformedEvent("inner Content-Length \"\(value)\""))
                    }
                    contentLength = length
                } else {
                    headers.fields.append(ESLField(key, value))
                }
            }
        }
        var body: String?
        if let contentLength {
            guard contentLength <= count - index else {
                return .failure(.malformedEvent("inner Content-Length \(contentLength) exceeds the \(count - index) bytes left"))
            }
            body = String(decoding: UnsafeBufferPointer(rebasing: buffer[index..<(index + contentLength)]), as: UTF8.self)
        }
        guard !headers.isEmpty else { return .failure(.malformedEvent("no headers")) }
        return .success(ESLEvent(headers: headers, body: body))
    }
}

extension ESLEvent {
    /// The event as a `text/event-plain` body, the way FreeSWITCH serializes it: `Name: value` lines
    /// with values URL-encoded, then either a blank line, or `Content-Length: N`, a blank line and the body.
    public func encodedPlain() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headers.count * 40 + (body?.utf8.count ?? 0) + 32)
        for field in headers.fields {
            out.append(contentsOf: field.key.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: ESLURLCoding.encode(field.value).utf8)
            out.append(10)
        }
        if let body {
            out.append(contentsOf: "Content-Length: \(body.utf8.count)\n\n".utf8)
            out.append(contentsOf: body.utf8)
        } else {
            out.append(10)
        }
        return out
    }

    /// The outer `text/event-plain` frame carrying this event (`Content-Length` first, as FreeSWITCH writes it).
    public var frame: ESLFrame {
        let body = encodedPlain()
        return ESLFrame(
            headers: ESLHeaders([ESLField("Content-Length", String(body.count)), ESLField("Content-Type", "text/event-plain")]),
            body: body
        )
    }
}
