/// A minimal PDF file writer: numbered objects and streams, then the cross-reference table and trailer.
///
/// Objects may be reserved first and written later in any order (a page tree that is only
/// known at the end, say); the xref table is indexed by object number, not by write order.
/// Bytes accumulate in memory; a caller streaming to a file can ``takeBytes()`` whenever
/// ``pendingByteCount`` grows, and byte offsets stay right because the writer counts what it
/// handed out.
///
/// Dictionaries and other values are passed as PDF syntax (see ``PDFSyntax`` for numbers,
/// names and strings). Writing an object twice, or finishing with a reserved object unwritten,
/// is a programming error and traps.
public struct PDFWriter: Sendable {
    private var buffer: [UInt8] = []
    /// Bytes already handed out by ``takeBytes()``.
    private var takenCount = 0
    /// Byte offset of each object (index = object number − 1), `nil` while only reserved.
    private var offsets: [Int?] = []
    private var finished = false

    /// Starts a file with the `%PDF-<version>` header and a binary marker comment.
    public init(version: String = "1.4", reserveCapacity: Int = 0) {
        buffer.reserveCapacity(reserveCapacity)
        append("%PDF-\(version)\n")
        buffer.append(contentsOf: [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    /// Total bytes written so far, including those already taken.
    public var byteCount: Int { takenCount + buffer.count }

    /// Bytes written but not yet taken.
    public var pendingByteCount: Int { buffer.count }

    /// Allocates an object number to write later with ``writeObject(_:_:)`` or ``writeStream(_:entries:data:)``.
    public mutating func reserveObject() -> PDFObjectReference {
        offsets.append(nil)
        return PDFObjectReference(number: offsets.count)
    }

    /// Writes a new object whose body is `body` (e.g. `"<< /Type /Catalog /Pages 2 0 R >>"`).
    @discardableResult
    public mutating func addObject(_ body: String) -> PDFObjectReference {
        let reference = reserveObject()
        writeObject(reference, body)
        return reference
    }

    /// Writes the body of a reserved object.
    public mutating func writeObject(_ reference: PDFObjectReference, _ body: String) {
        beginObject(reference)
        append(body)
        append("\nendobj\n")
    }

    /// Writes a new stream object; `entries` are extra dictionary entries (e.g. `"/Filter /CCITTFaxDecode"`), `/Length` is added.
    @discardableResult
    public mutating func addStream(entries: String = "", data: some Collection<UInt8>) -> PDFObjectReference {
        let reference = reserveObject()
        writeStream(reference, entries: entries, data: data)
        return reference
    }

    /// Writes a reserved object as a stream; `entries` are extra dictionary entries, `/Length` is added.
    public mutating func writeStream(_ reference: PDFObjectReference, entries: String = "", data: some Collection<UInt8>) {
        beginObject(reference)
        append("<< /Length \(data.count)\(entries.isEmpty ? "" : " ")\(entries) >>\nstream\n")
        buffer.append(contentsOf: data)
        append("\nendstream\nendobj\n")
    }

    /// Appends the cross-reference table and trailer. `root` is the document catalog, `info` the optional info dictionary.
    public mutating func finish(root: PDFObjectReference, info: PDFObjectReference? = nil) {
        precondition(!finished, "PDFWriter.finish called twice")
        let unwritten = offsets.indices.filter { offsets[$0] == nil }.map { $0 + 1 }
        precondition(unwritten.isEmpty, "PDF objects reserved but never written: \(unwritten)")
        finished = true
        let xref = byteCount
        append("xref\n0 \(offsets.count + 1)\n0000000000 65535 f\r\n")
        for offset in offsets {
            append(Self.padded(offset ?? 0))
            append(" 00000 n\r\n")
        }
        append("trailer\n<< /Size \(offsets.count + 1) /Root \(root)")
        if let info { append(" /Info \(info)") }
        append(" >>\nstartxref\n\(xref)\n%%EOF\n")
    }

    /// Hands out the bytes written since the last call (the whole file if never called before).
    public mutating func takeBytes() -> [UInt8] {
        let taken = buffer
        takenCount += buffer.count
        buffer = []
        buffer.reserveCapacity(taken.capacity)
        return taken
    }

    private mutating func beginObject(_ reference: PDFObjectReference) {
        precondition(!finished, "PDFWriter is finished")
        let index = reference.number - 1
        precondition(offsets.indices.contains(index) && offsets[index] == nil, "PDF object \(reference.number) unknown or already written")
        offsets[index] = byteCount
        append("\(reference.number) 0 obj\n")
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// `value` as ten decimal digits with leading zeros, as xref entries need.
    private static func padded(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}

/// An indirect object's number; its description is the reference syntax `"n 0 R"`.
public struct PDFObjectReference: Hashable, Sendable, CustomStringConvertible {
    public let number: Int

    public var description: String { "\(number) 0 R" }
}
