/// Formatting of PDF values: numbers, names, strings.
public enum PDFSyntax {
    /// `value` with at most four decimals and no exponent (PDF has no scientific notation), e.g. `10.4651`, `612`, `-0.5`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 10_000).rounded()
        guard abs(scaled) < 1e17 else { return "0" }
        let integer = Int(scaled)
        let sign = integer < 0 ? "-" : ""
        let magnitude = integer.magnitude
        let whole = magnitude / 10_000
        var fraction = magnitude % 10_000
        guard fraction != 0 else { return integer == 0 ? "0" : "\(sign)\(whole)" }
        var digits = 4
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// `text` as a PDF name (`/Name`), with delimiters, white space and non-ASCII bytes written as `#xx`.
    public static func name(_ text: String) -> String {
        var result = "/"
        for byte in text.utf8 {
            if byte > 0x20, byte < 0x7F, !"()<>[]{}/%#".utf8.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "#" + hex(byte)
            }
        }
        return result
    }

    /// `text` as a PDF literal string `( … )`; ASCII only (other characters become `?`), with `\`, `(`, `)` escaped.
    public static func literalString(_ text: String) -> String {
        var result = "("
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "(", ")": result += "\\" + String(scalar)
            case " "..."~": result.unicodeScalars.append(scalar)
            default: result += "?"
            }
        }
        return result + ")"
    }

    /// `bytes` as a PDF hex string `<…>`.
    public static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        "<" + bytes.map(hex).joined() + ">"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
