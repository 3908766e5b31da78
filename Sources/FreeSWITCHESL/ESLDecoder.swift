import NIOCore

/// An incremental decoder of the ESL wire format (the byte stream FreeSWITCH's event socket sends).
///
/// Feed bytes with ``append(_:)-(some Sequence<UInt8>)`` in any cuts, then drain frames with ``next()``
/// until it returns `nil`. Framing, as `mod_event_socket` writes it:
/// - A frame is a block of `Name: value` lines ended by an empty line. Lines end with LF; a CR before
///   the LF is dropped. Empty lines between frames are skipped.
/// - When the block has a `Content-Length`, exactly that many bytes of body follow (no terminator).
/// - Outer header values are kept as received (FreeSWITCH does not URL-encode them); event bodies
///   are URL-decoded by ``ESLEvent/init(plain:)``.
///
/// Errors are fatal for the stream, because a length-delimited stream cannot be resynchronised:
/// a header block or `Content-Length` beyond `maxFrameBytes` (checked before anything is
/// allocated), a `Content-Length` that is not a plain decimal, a header line without `:`, with an
/// empty name or with a NUL byte. The first error is thrown by ``next()`` (after the frames
/// decoded before it) and again on every later call; further input is discarded, so memory stays
/// bounded by `maxFrameBytes`.
public struct ESLDecoder: Sendable {
    /// The largest header block, and the largest body, accepted.
    public let maxFrameBytes: Int

    private var buffer: [UInt8] = []
    private var head = 0
    /// Where the header scan resumes (absolute index into `buffer`).
    private var scan = 0
    private var headers = ESLHeaders()
    private var headerBytes = 0
    private var bodyLength: Int?
    private var failure: ESLProtocolError?

    /// Creates a decoder for one connection's byte stream.
    public init(maxFrameBytes: Int = 4 << 20) {
        self.maxFrameBytes = max(256, maxFrameBytes)
    }

    /// Bytes received but not yet returned as a frame (a truncated stream leaves them here).
    public var bufferedByteCount: Int { buffer.count - head + headerBytes }

    /// The error that stopped the decoder, if any.
    public var error: ESLProtocolError? { failure }

    /// Adds bytes received from the wire.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer.append(contentsOf: $0) }
        if done == nil { buffer.append(contentsOf: bytes) }
    }

    /// Adds the readable bytes of a `ByteBuffer` (the buffer is not consumed).
    public mutating func append(_ buffer: ByteBuffer) {
        guard failure == nil else { return }
        buffer.withUnsafeReadableBytes { self.buffer.append(contentsOf: $0) }
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    public mutating func next() throws(ESLProtocolError) -> ESLFrame? {
        if let failure { throw failure }
        let result: Result<ESLFrame?, ESLProtocolError> = decodeNext()
        switch result {
        case .success(let frame):
            compact()
            return frame
        case .failure(let error):
            failure = error
            buffer = []
            head = 0
            scan = 0
            headers = ESLHeaders()
            headerBytes = 0
            bodyLength = nil
            throw error
        }
    }

    private mutating func decodeNext() -> Result<ESLFrame?, ESLProtocolError> {
        while true {
            if let length = bodyLength {
                guard buffer.count - head >= length else { return .success(nil) }
                let body = Array(buffer[head..<(head + length)])
                head += length
                scan = head
                return .success(finish(body: body))
            }
            let lineResult: Result<Bool, ESLProtocolError> = buffer.withUnsafeBufferPointer { bytes in
                readHeaderLine(bytes)
            }
            switch lineResult {
            case .failure(let error):
                return .failure(error)
            case .success(false):
                return .success(nil)
            case .success(true):
                if bodyLength == nil && headerBytes == 0 && !headers.isEmpty {
                    return .success(finish(body: nil))
                }
            }
        }
    }

    /// Consumes one complete header line. Returns `false` when no complete line is buffered.
    /// After the blank line that ends a block, either `bodyLength` is set or `headerBytes` is 0 with
    /// `headers` non-empty (a frame without a body is ready).
    private mutating func readHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Bool, ESLProtocolError> {
        var index = scan
        let count = bytes.count
        while index < count && bytes[index] != 10 { index += 1 }
        if index == count {
            scan = count
            if headerBytes + (count - head) > maxFrameBytes { return .failure(.frameTooLarge(limit: maxFrameBytes)) }
            return .success(false)
        }
        var end = index
        if end > head && bytes[end - 1] == 13 { end -= 1 }
        let line = UnsafeBufferPointer(rebasing: bytes[head..<end])
        let size = index + 1 - head
        head = index + 1
        scan = head
        if line.isEmpty {
            if headers.isEmpty { return .success(true) }
            headerBytes = 0
            if let value = headers["Content-Length"] {
                guard let length = ESLHeaderLine.contentLength(value) else { return .failure(.invalidContentLength(value)) }
                guard length <= maxFrameBytes else { return .failure(.frameTooLarge(limit: maxFrameBytes)) }
                bodyLength = length
            }
            return .success(true)
        }
        headerBytes += size
        if headerBytes > maxFrameBytes { return .failure(.frameTooLarge(limit: maxFrameBytes)) }
        switch ESLHeaderLine.split(line, decodingValue: false) {
        case .failure(let error):
            return .failure(error)
        case .success(let (key, value)):
            headers.fields.append(ESLField(key, value))
            return .success(true)
        }
    }

    private mutating func finish(body: [UInt8]?) -> ESLFrame {
        let frame = ESLFrame(headers: headers, body: body)
        headers = ESLHeaders()
        headerBytes = 0
        bodyLength = nil
        return frame
    }

    private mutating func compact() {
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            head = 0
            scan = 0
        } else if head >= 1 << 16 && head * 2 >= buffer.count {
            buffer.removeFirst(head)
            scan -= head
            head = 0
        }
    }
}
