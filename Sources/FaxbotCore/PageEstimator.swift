/// Counts pages before dialling, until the document pipeline (FaxImaging) renders real TIFF-F.
///
/// PDF: the number of `/Type /Page` objects (not `/Pages`); at least 1. Text: 60 lines of at
/// most 80 columns to a page, form feeds start a new page.
public enum PageEstimator {
    public static func pdfPages(in bytes: [UInt8]) -> Int {
        var counter = PDFPageCounter()
        counter.feed(bytes)
        return counter.pages
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

/// Counts `/Type /Page` objects (not `/Pages`) in a PDF fed chunk by chunk, so an upload's pages
/// are known without holding the document in memory.
public struct PDFPageCounter: Sendable {
    private enum State: Sendable {
        /// Matching `/Type`; the number of bytes matched so far.
        case type(Int)
        /// After `/Type`, skipping white space.
        case space
        /// Matching `/Page`; the number of bytes matched so far.
        case page(Int)
        /// Saw `/Type /Page`; the next byte decides between `/Page` and `/Pages`.
        case pageEnd
    }

    private static let type = Array("/Type".utf8)
    private static let page = Array("/Page".utf8)
    private var state = State.type(0)
    private var count = 0

    public init() {}

    /// Pages seen so far; at least 1.
    public var pages: Int {
        if case .pageEnd = state { return max(1, count + 1) }
        return max(1, count)
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { step(byte) }
    }

    private mutating func step(_ byte: UInt8) {
        switch state {
        case .type(let matched):
            if byte == Self.type[matched] {
                state = matched + 1 == Self.type.count ? .space : .type(matched + 1)
            } else {
                state = byte == Self.type[0] ? .type(1) : .type(0)
            }
        case .space:
            if byte == 0x20 || byte == 0x0A || byte == 0x0D { return }
            state = .page(0)
            step(byte)
        case .page(let matched):
            if byte == Self.page[matched] {
                state = matched + 1 == Self.page.count ? .pageEnd : .page(matched + 1)
            } else {
                // Only a lone `/` can begin a new `/Type` here.
                state = matched == 1 ? .type(1) : .type(0)
                step(byte)
            }
        case .pageEnd:
            if byte != UInt8(ascii: "s") { count += 1 }
            state = .type(0)
            step(byte)
        }
    }
}
