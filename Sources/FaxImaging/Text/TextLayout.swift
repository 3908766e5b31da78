/// Lays plain text out on a grid of monospace cells: `columns` to a line, `linesPerPage` lines to a page.
///
/// The rules are those of the daemon's page estimate (`PageEstimator.textPages`):
/// - `"\n"` and `"\r\n"` end a line; a final line break does not start another line;
/// - a form feed (U+000C) starts a new page;
/// - a line of *n* columns takes `max(1, ⌈n / columns⌉)` lines.
///
/// On top of that, tabs expand to the next multiple of `tabWidth` columns, and other control and
/// format characters (lone `"\r"`, U+0000–U+001F, U+007F–U+009F, U+200B–U+200F, BOM, …) are
/// dropped and take no column. A long line breaks after a space found in its last
/// `wordWrapWindow` columns, but only when that does not change its number of lines, so the
/// page count is always that of hard wrapping. Columns are counted in `Character`s (extended
/// grapheme clusters), like the estimator. For text without tabs or control characters the page
/// count equals `PageEstimator.textPages` exactly.
///
/// Memory stays bounded: a line longer than `maximumBufferedColumns` is hard-wrapped as it streams.
public struct TextLayout: Sendable {
    /// Columns (cells) to a line.
    public var columns: Int
    /// Lines to a page.
    public var linesPerPage: Int
    /// Distance between tab stops, in columns.
    public var tabWidth: Int
    /// How far back from the end of a full line a space may be to break there instead.
    public var wordWrapWindow: Int
    /// Longest logical line considered for word wrapping; longer lines are hard-wrapped.
    public var maximumBufferedColumns = 16_384

    /// One printed line: the cells to draw on line `line` (0-based) of page `page` (0-based).
    public struct Line: Sendable {
        public var page: Int
        public var line: Int
        /// One `Character` per column; tabs are already expanded to spaces.
        public var cells: ArraySlice<Character>
    }

    public init(columns: Int = 80, linesPerPage: Int = 60, tabWidth: Int = 8, wordWrapWindow: Int = 20) {
        self.columns = max(1, columns)
        self.linesPerPage = max(1, linesPerPage)
        self.tabWidth = max(1, tabWidth)
        self.wordWrapWindow = max(0, wordWrapWindow)
    }

    /// The number of pages `text` lays out to; at least 1.
    public func pageCount(of text: some StringProtocol) -> Int {
        layOut(text) { _ in }
    }

    /// Lays `text` out, handing each printed line to `body` in order, and returns the number of pages (at least 1).
    ///
    /// Every page gets at least one line (possibly empty), so pages can be detected from `Line.page`.
    @discardableResult
    public func layOut<E: Error>(_ text: some StringProtocol, _ body: (Line) throws(E) -> Void) throws(E) -> Int {
        var state = State(layout: self)
        for character in text {
            switch Self.kind(of: character) {
            case .lineBreak:
                try state.endLine(body)
                state.lastWasBreak = true
                continue
            case .formFeed:
                try state.endSegment(body)
                state.page += 1
                state.linesOnPage = 0
            case .tab:
                let spaces = tabWidth - state.lineColumns % tabWidth
                for _ in 0..<spaces { try state.append(" ", body) }
            case .visible:
                try state.append(character, body)
            case .dropped:
                break
            }
            state.lastWasBreak = false
        }
        try state.endSegment(body)
        return state.page + 1
    }

    enum Kind {
        case lineBreak
        case formFeed
        case tab
        case visible
        case dropped
    }

    /// How `character` takes part in layout.
    static func kind(of character: Character) -> Kind {
        if let ascii = character.asciiValue {
            // `asciiValue` of "\r\n" is 0x0A, so both line breaks land here.
            switch ascii {
            case 0x0A: return .lineBreak
            case 0x0C: return .formFeed
            case 0x09: return .tab
            case 0x20..<0x7F: return .visible
            default: return .dropped
            }
        }
        let scalars = character.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return .visible }
        switch first.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return .dropped
        default: return .visible
        }
    }

    private struct State {
        let layout: TextLayout
        var page = 0
        var linesOnPage = 0
        var lastWasBreak = false
        /// Cells of the current logical line not yet emitted.
        var cells: [Character] = []
        /// Columns of the current logical line so far, emitted or not (for tab stops).
        var lineColumns = 0
        /// Lines already emitted for the current logical line (only when it outgrew the buffer).
        var emittedLines = 0

        init(layout: TextLayout) {
            self.layout = layout
            cells.reserveCapacity(layout.columns * 2)
        }

        mutating func append<E: Error>(_ character: Character, _ body: (Line) throws(E) -> Void) throws(E) {
            cells.append(character)
            lineColumns += 1
            // Too long to word-wrap: emit full lines as they come (hard wrap).
            if lineColumns > layout.maximumBufferedColumns || emittedLines > 0 {
                while cells.count > layout.columns {
                    try emit(cells[0..<layout.columns], body)
                    cells.removeFirst(layout.columns)
                    emittedLines += 1
                }
            }
        }

        /// Ends a form-feed-delimited segment: its last line is emitted unless a line break just ended it.
        mutating func endSegment<E: Error>(_ body: (Line) throws(E) -> Void) throws(E) {
            if !lastWasBreak { try endLine(body) }
        }

        mutating func endLine<E: Error>(_ body: (Line) throws(E) -> Void) throws(E) {
            defer {
                cells.removeAll(keepingCapacity: true)
                lineColumns = 0
                emittedLines = 0
            }
            let columns = layout.columns
            if emittedLines > 0 {
                if !cells.isEmpty { try emit(cells[...], body) }
                return
            }
            let hardLines = max(1, (cells.count + columns - 1) / columns)
            if hardLines > 1, let breaks = wordBreaks(lines: hardLines) {
                for range in breaks { try emit(cells[range], body) }
                return
            }
            var start = 0
            repeat {
                let end = min(start + columns, cells.count)
                try emit(cells[start..<end], body)
                start = end
            } while start < cells.count
        }

        /// Line ranges breaking at spaces, or `nil` when that would take other than `lines` lines.
        func wordBreaks(lines: Int) -> [Range<Int>]? {
            let columns = layout.columns
            var ranges: [Range<Int>] = []
            var start = 0
            while cells.count - start > columns {
                guard ranges.count < lines else { return nil }
                var end = start + columns
                var next = end
                var candidate = start + columns
                while candidate > start, candidate >= start + columns - layout.wordWrapWindow {
                    if cells[candidate] == " " {
                        end = candidate
                        next = candidate + 1
                        break
                    }
                    candidate -= 1
                }
                ranges.append(start..<end)
                start = next
            }
            ranges.append(start..<cells.count)
            return ranges.count == lines ? ranges : nil
        }

        mutating func emit<E: Error>(_ line: ArraySlice<Character>, _ body: (Line) throws(E) -> Void) throws(E) {
            if linesOnPage == layout.linesPerPage {
                page += 1
                linesOnPage = 0
            }
            try body(Line(page: page, line: linesOnPage, cells: line))
            linesOnPage += 1
        }
    }
}
