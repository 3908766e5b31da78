/// Counts pages before dialling, until the document pipeline (FaxImaging) renders real TIFF-F.
///
/// PDF: the number of `/Type /Page` objects (not `/Pages`); at least 1. Text: 60 lines of at
/// most 80 columns to a page, form feeds start a new page.
public enum PageEstimator {
    public static func pdfPages(in bytes: [UInt8]) -> Int {
        let needle = Array("/Type".utf8)
        var count = 0
        var index = 0
        while index + needle.count < bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle {
                var cursor = index + needle.count
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x0A || bytes[cursor] == 0x0D { cursor += 1 }
                let word = Array("/Page".utf8)
                if cursor + word.count <= bytes.count, Array(bytes[cursor..<cursor + word.count]) == word {
                    let after = cursor + word.count
                    if after >= bytes.count || bytes[after] != UInt8(ascii: "s") { count += 1 }
                }
                index = cursor
            } else {
                index += 1
            }
        }
        return max(1, count)
    }

    public static func textPages(in text: String, linesPerPage: Int = 60, columns: Int = 80) -> Int {
        var pages = 1
        var lines = 0
        // "\r\n" is one Character in Swift, so it must be matched on its own.
        let isLineBreak: (Character) -> Bool = { $0 == "\n" || $0 == "\r\n" }
        for page in text.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated() {
            if page.offset > 0 {
                pages += 1
                lines = 0
            }
            // A final line break ends the last line; it does not start another one.
            let body = page.element.last.map(isLineBreak) == true ? page.element.dropLast() : page.element
            for line in body.split(omittingEmptySubsequences: false, whereSeparator: isLineBreak) {
                let wrapped = max(1, (line.count + columns - 1) / columns)
                lines += wrapped
                while lines > linesPerPage {
                    pages += 1
                    lines -= linesPerPage
                }
            }
        }
        return pages
    }
}
