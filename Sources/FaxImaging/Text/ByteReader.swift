/// Bounds-checked big-endian reads over a font file's bytes.
///
/// Every read checks its range first, so a truncated or garbage file gives
/// ``TrueTypeFontError/truncated(offset:length:)`` instead of a crash.
struct ByteReader: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    /// Whether `length` bytes starting at `offset` lie inside the data (overflow-safe).
    func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    /// Throws unless `length` bytes starting at `offset` lie inside the data.
    func check(offset: Int, length: Int) throws(TrueTypeFontError) {
        guard contains(offset: offset, length: length) else { throw .truncated(offset: offset, length: length) }
    }

    func uint8(at offset: Int) throws(TrueTypeFontError) -> UInt8 {
        try check(offset: offset, length: 1)
        return bytes[offset]
    }

    func uint16(at offset: Int) throws(TrueTypeFontError) -> UInt16 {
        try check(offset: offset, length: 2)
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    func int16(at offset: Int) throws(TrueTypeFontError) -> Int16 {
        Int16(bitPattern: try uint16(at: offset))
    }

    func uint32(at offset: Int) throws(TrueTypeFontError) -> UInt32 {
        try check(offset: offset, length: 4)
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// A four-byte table tag such as `cmap`, with non-printable bytes shown as `?`.
    func tag(at offset: Int) throws(TrueTypeFontError) -> String {
        try check(offset: offset, length: 4)
        let scalars = bytes[offset..<offset + 4].map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "?" }
        return String(scalars)
    }
}
