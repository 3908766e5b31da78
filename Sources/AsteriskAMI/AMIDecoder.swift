import NIOCore

/// An incremental, byte-exact decoder of the AMI wire format.
///
/// Feed bytes with ``append(_:)-(some Sequence<UInt8>)`` in any cuts, then drain frames with ``next()``
/// until it returns `nil`. Framing rules, chosen to be tolerant of what Asterisk really sends:
/// - Lines end with CRLF; a bare LF is accepted too (one CR before the LF is stripped).
/// - The very first line of the stream is a ``AMIFrame/banner(_:)`` if it holds no `:`.
/// - A packet is a run of lines ended by an empty line; stray empty lines between packets are skipped.
/// - `Key: Value` splits at the first `:`; blanks around the key and after the colon are dropped,
///   so `AccountCode: ` gives an empty value. Keys may repeat; order is kept.
/// - A line without `:` (or with an empty key) is kept in ``AMIMessage/output`` rather than rejected.
/// - After `Response: Follows`, the body (empty lines included) runs up to `--END COMMAND--`, and the
///   packet ends at the next empty line. `ActionID`, `Privilege` and `Message` lines before the body
///   stay fields. `Output:` lines are kept as fields and also copied to ``AMIMessage/output``.
/// - A packet, or an unterminated line, larger than `maxMessageBytes` yields
///   ``AMIProtocolError/messageTooLarge(limit:)`` once; its bytes are discarded (never buffered)
///   up to the next empty line, where decoding resumes. Memory stays bounded by `maxMessageBytes`.
/// - Invalid UTF-8 is repaired with U+FFFD; NUL bytes are kept.
public struct AMIDecoder: Sendable {
    /// The largest packet accepted, in bytes (line terminators included).
    public let maxMessageBytes: Int
    /// When `true`, ``nextPacket()`` returns each frame's exact bytes (the simulator records actions with it).
    public var keepsRawBytes: Bool

    private var partial: [UInt8] = []
    private var packet = PacketState()
    private var ready: [Result<DecodedPacket, AMIProtocolError>] = []
    private var readyHead = 0
    private var sawFirstLine = false
    private var discarding = false
    private var discardLineHasContent = false

    /// A decoded frame and, when ``keepsRawBytes`` is set, the bytes it was decoded from.
    public struct DecodedPacket: Sendable, Equatable {
        /// The frame.
        public var frame: AMIFrame
        /// The frame's bytes including line terminators and the closing empty line (empty unless ``keepsRawBytes``).
        public var raw: [UInt8]
    }

    private struct PacketState: Sendable {
        var fields: [AMIField] = []
        var output: [String] = []
        var byteCount = 0
        var follows = false
        var followsBodyStarted = false
        var followsEnded = false
        var raw: [UInt8] = []

        var isEmpty: Bool { fields.isEmpty && output.isEmpty && !follows }
    }

    /// Creates a decoder for one connection's byte stream.
    public init(maxMessageBytes: Int = 1 << 20, keepsRawBytes: Bool = false) {
        self.maxMessageBytes = max(64, maxMessageBytes)
        self.keepsRawBytes = keepsRawBytes
    }

    /// Bytes held for an incomplete packet (a truncated stream leaves them here).
    public var bufferedByteCount: Int { packet.byteCount + partial.count }

    /// Adds bytes received from the wire.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { ingest($0) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { ingest($0) }
        }
    }

    /// Adds the readable bytes of a `ByteBuffer` (the buffer is not consumed).
    public mutating func append(_ buffer: ByteBuffer) {
        append(buffer.readableBytesView)
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    public mutating func next() throws(AMIProtocolError) -> AMIFrame? {
        try nextPacket()?.frame
    }

    /// Like ``next()``, with the frame's raw bytes when ``keepsRawBytes`` is set.
    public mutating func nextPacket() throws(AMIProtocolError) -> DecodedPacket? {
        guard readyHead < ready.count else { return nil }
        let result = ready[readyHead]
        readyHead += 1
        if readyHead == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
        }
        return try result.get()
    }

    // MARK: Line splitting

    private mutating func ingest(_ chunk: UnsafeBufferPointer<UInt8>) {
        var start = 0
        let count = chunk.count
        while start < count {
            var index = start
            while index < count && chunk[index] != 10 { index += 1 }
            if index == count {
                keepPartial(UnsafeBufferPointer(rebasing: chunk[start..<count]))
                return
            }
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<index])
            start = index + 1
            if discarding {
                let hasContent = discardLineHasContent || Self.hasContent(piece)
                discardLineHasContent = false
                if !hasContent { discarding = false }
                continue
            }
            if partial.isEmpty {
                processLine(piece)
            } else {
                var line: [UInt8] = []
                swap(&line, &partial)
                line.append(contentsOf: piece)
                line.withUnsafeBufferPointer { processLine($0) }
                line.removeAll(keepingCapacity: true)
                partial = line
            }
        }
    }

    private mutating func keepPartial(_ rest: UnsafeBufferPointer<UInt8>) {
        if discarding {
            if Self.hasContent(rest) { discardLineHasContent = true }
            return
        }
        if packet.byteCount + partial.count + rest.count > maxMessageBytes {
            let hasContent = Self.hasContent(UnsafeBufferPointer(rebasing: rest[...])) || partial.contains { $0 != 13 }
            fail()
            discarding = true
            discardLineHasContent = hasContent
            return
        }
        partial.append(contentsOf: rest)
    }

    private static func hasContent(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 != 13 }
    }

    private mutating func fail() {
        ready.append(.failure(.messageTooLarge(limit: maxMessageBytes)))
        packet = PacketState()
        partial.removeAll()
    }

    // MARK: Packet assembly

    private mutating func processLine(_ line: UnsafeBufferPointer<UInt8>) {
        var end = line.count
        if end > 0 && line[end - 1] == 13 { end -= 1 }
        let body = UnsafeBufferPointer(rebasing: line[0..<end])
        let size = line.count + 1
        if packet.byteCount + size > maxMessageBytes {
            fail()
            if !body.isEmpty { discarding = true }
            return
        }
        packet.byteCount += size
        if keepsRawBytes {
            packet.raw.append(contentsOf: line)
            packet.raw.append(10)
        }

        if !sawFirstLine {
            sawFirstLine = true
            if !body.isEmpty && !body.contains(58) {
                let raw = packet.raw
                packet = PacketState()
                ready.append(.success(DecodedPacket(frame: .banner(Self.string(body)), raw: raw)))
                return
            }
        }

        if packet.follows && !packet.followsEnded {
            followsLine(body)
            return
        }

        if body.isEmpty {
            if packet.isEmpty {
                packet = PacketState()
            } else {
                let message = AMIMessage(packet.fields, output: packet.output)
                ready.append(.success(DecodedPacket(frame: .message(message), raw: packet.raw)))
                packet = PacketState()
            }
            return
        }

        if let (key, value) = Self.split(body) {
            packet.fields.append(AMIField(key, value))
            if key.amiEqualsIgnoringCase("Output") {
                packet.output.append(value)
            } else if key.amiEqualsIgnoringCase("Response") && value.amiEqualsIgnoringCase("Follows") {
                packet.follows = true
            }
        } else {
            packet.output.append(Self.string(body))
        }
    }

    private static let endCommand: [UInt8] = Array("--END COMMAND--".utf8)

    private mutating func followsLine(_ body: UnsafeBufferPointer<UInt8>) {
        let marker = Self.endCommand
        if body.count >= marker.count && body[(body.count - marker.count)...].elementsEqual(marker) {
            let prefix = UnsafeBufferPointer(rebasing: body[0..<(body.count - marker.count)])
            if !prefix.isEmpty { packet.output.append(Self.string(prefix)) }
            packet.followsEnded = true
            return
        }
        if !packet.followsBodyStarted, let (key, value) = Self.split(body),
            key.amiEqualsIgnoringCase("ActionID") || key.amiEqualsIgnoringCase("Privilege")
                || key.amiEqualsIgnoringCase("Message")
        {
            packet.fields.append(AMIField(key, value))
            return
        }
        packet.followsBodyStarted = true
        packet.output.append(Self.string(body))
    }

    private static func split(_ body: UnsafeBufferPointer<UInt8>) -> (String, String)? {
        guard let colon = body.firstIndex(of: 58) else { return nil }
        var keyStart = 0
        var keyEnd = colon
        while keyStart < keyEnd && (body[keyStart] == 32 || body[keyStart] == 9) { keyStart += 1 }
        while keyEnd > keyStart && (body[keyEnd - 1] == 32 || body[keyEnd - 1] == 9) { keyEnd -= 1 }
        guard keyEnd > keyStart else { return nil }
        var valueStart = colon + 1
        while valueStart < body.count && (body[valueStart] == 32 || body[valueStart] == 9) { valueStart += 1 }
        let key = string(UnsafeBufferPointer(rebasing: body[keyStart..<keyEnd]))
        let value = valueStart < body.count ? string(UnsafeBufferPointer(rebasing: body[valueStart...])) : ""
        return (key, value)
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
