/// FreeSWITCH's URL coding of event header values (`switch_url_encode` / `switch_url_decode`).
public enum ESLURLCoding {
    /// Decodes `%XX` escapes (either hex case); a `%` not followed by two hex digits stays as is.
    ///
    /// `+` is left alone: FreeSWITCH encodes a space as `%20` and a plus as `%2B`, and its decoder
    /// never turns `+` into a space. The decoded bytes are read as UTF-8 (invalid sequences → U+FFFD).
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(37) else { return text }
        return Array(text.utf8).withUnsafeBufferPointer { decode($0) }
    }

    /// Decodes raw value bytes (see ``decode(_:)-(String)``).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(37) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 37, index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes like FreeSWITCH: bytes below space, above `~`, and any of `CR LF space " # % & + : ; < = > ? @ [ \ ] ^ backtick { | }`
    /// become `%XX` (uppercase hex); everything else (letters, digits, `,` `/` `(` `)` `-` `.` `_` `~` `!` `$` `'` `*`) stays.
    ///
    /// Unlike FreeSWITCH, an existing `%XX` is encoded again (`%25XX`), so ``decode(_:)-(String)`` gives back the value exactly.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if byte < 32 || byte > 126 || unsafe[Int(byte)] {
                out.append(37)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let unsafe: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in "\r\n \"#%&+:;<=>?@[\\]^`{|}".utf8 { table[Int(byte)] = true }
        return table
    }()

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
