/// Splitting of one `Name: value` header line.
enum ESLHeaderLine {
    /// Splits at the first `:`; drops blanks after it. Rejects an empty name, a missing colon and NUL bytes.
    static func split(_ line: UnsafeBufferPointer<UInt8>, decodingValue: Bool) -> Result<(String, String), ESLProtocolError> {
        guard !line.contains(0) else { return .failure(.malformedHeader(preview(line))) }
        guard let colon = line.firstIndex(of: 58), colon > 0 else { return .failure(.malformedHeader(preview(line))) }
        var valueStart = colon + 1
        while valueStart < line.count && (line[valueStart] == 32 || line[valueStart] == 9) { valueStart += 1 }
        let key = String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)
        let rawValue = UnsafeBufferPointer(rebasing: line[valueStart...])
        let value = decodingValue ? ESLURLCoding.decode(rawValue) : String(decoding: rawValue, as: UTF8.self)
        return .success((key, value))
    }

    /// A `Content-Length` value: 1 to 18 ASCII digits (so no overflow), nothing else.
    static func contentLength(_ text: String) -> Int? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 18 else { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// The first 80 bytes of a line, printable, for error messages.
    static func preview(_ line: UnsafeBufferPointer<UInt8>) -> String {
        let shown = line.prefix(80).map { $0 >= 32 && $0 < 127 ? Character(Unicode.Scalar($0)) : "?" }
        return String(shown) + (line.count > 80 ? "…" : "")
    }
}
