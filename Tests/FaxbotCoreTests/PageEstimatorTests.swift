import Foundation
import Testing

@testable import FaxbotCore

@Suite struct PageEstimatorTests {
    /// A minimal PDF body with a catalog, a page tree and `pages` page objects.
    static func pdf(pages: Int, separator: String = " ") -> [UInt8] {
        var text = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        text += "2 0 obj\n<< /Type /Pages /Kids [] /Count \(pages) >>\nendobj\n"
        for index in 0..<pages {
            text += "\(index + 3) 0 obj\n<< /Type\(separator)/Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
        }
        text += "trailer\n<< /Root 1 0 R >>\n%%EOF\n"
        return Array(text.utf8)
    }

    // MARK: PDF

    @Test(arguments: [1, 2, 3, 7, 25, 100])
    func countsPageObjects(pages: Int) {
        #expect(PageEstimator.pdfPages(in: Self.pdf(pages: pages)) == pages)
    }

    @Test(arguments: ["", "\n", "\r\n", "  "])
    func countsPageObjectsWhateverTheSpacing(separator: String) {
        #expect(PageEstimator.pdfPages(in: Self.pdf(pages: 4, separator: separator)) == 4)
    }

    @Test func countsMixedSpellings() {
        let text = "<< /Type /Page >> << /Type/Page >> << /Type\n/Page >> << /Type /Pages >> << /Type/Pages >>"
        #expect(PageEstimator.pdfPages(in: Array(text.utf8)) == 3)
    }

    @Test func thePageTreeIsNotAPage() {
        let text = "%PDF-1.4\n<< /Type /Pages /Count 3 >>\n<< /Type/Pages >>\n"
        #expect(PageEstimator.pdfPages(in: Array(text.utf8)) == 1)
    }

    @Test func otherTypesAreNotPages() {
        let text = "<< /Type /Catalog >> << /Type /Font >> << /Type /XObject >> << /Type /Page >>"
        #expect(PageEstimator.pdfPages(in: Array(text.utf8)) == 1)
        let two = "<< /Type /Annot >> << /Type /Page >> << /Type /Page >>"
        #expect(PageEstimator.pdfPages(in: Array(two.utf8)) == 2)
    }

    @Test func aPageObjectAtTheVeryEndIsCounted() {
        #expect(PageEstimator.pdfPages(in: Array("/Type /Page /Type /Page".utf8)) == 2)
        #expect(PageEstimator.pdfPages(in: Array("/Type /Page /Type/Page".utf8)) == 2)
    }

    @Test func atLeastOnePage() {
        #expect(PageEstimator.pdfPages(in: []) == 1)
        #expect(PageEstimator.pdfPages(in: Array("%PDF-1.7\n%%EOF".utf8)) == 1)
        #expect(PageEstimator.pdfPages(in: Array("/Type".utf8)) == 1)
        #expect(PageEstimator.pdfPages(in: Self.pdf(pages: 0)) == 1)
    }

    @Test func binaryContentDoesNotConfuseTheCount() {
        var bytes = Self.pdf(pages: 2)
        bytes += [0x00, 0xFF, 0x2F, 0x54, 0x79, 0x70, 0x65, 0x00]  // "/Type" between binary bytes
        bytes += Array((0..<2048).map { UInt8(truncatingIfNeeded: $0 * 31) })
        #expect(PageEstimator.pdfPages(in: bytes) == 2)
    }

    // MARK: text

    static func lines(_ count: Int, width: Int = 10, terminator: String = "\n") -> String {
        String(repeating: String(repeating: "x", count: width) + terminator, count: count)
    }

    @Test func anEmptyOrShortTextIsOnePage() {
        #expect(PageEstimator.textPages(in: "") == 1)
        #expect(PageEstimator.textPages(in: "hello") == 1)
        #expect(PageEstimator.textPages(in: "hello\n") == 1)
    }

    /// (newline-terminated lines, pages) at 60 lines to a page.
    static let lineCounts: [(Int, Int)] = [(1, 1), (59, 1), (60, 1), (61, 2), (120, 2), (121, 3), (600, 10)]

    @Test(arguments: lineCounts)
    func sixtyLinesToAPage(entry: (Int, Int)) {
        let (count, pages) = entry
        #expect(PageEstimator.textPages(in: Self.lines(count)) == pages)
    }

    @Test(arguments: lineCounts)
    func aMissingFinalNewlineChangesNothing(entry: (Int, Int)) {
        let (count, pages) = entry
        #expect(PageEstimator.textPages(in: String(Self.lines(count).dropLast())) == pages)
    }

    @Test(arguments: lineCounts)
    func windowsLineEndingsCountAsLines(entry: (Int, Int)) {
        let (count, pages) = entry
        #expect(PageEstimator.textPages(in: Self.lines(count, terminator: "\r\n")) == pages)
    }

    @Test func blankLinesCount() {
        #expect(PageEstimator.textPages(in: String(repeating: "\n", count: 60)) == 1)
        #expect(PageEstimator.textPages(in: String(repeating: "\n", count: 61)) == 2)
    }

    @Test func longLinesWrapAtEightyColumns() {
        #expect(PageEstimator.textPages(in: String(repeating: "x", count: 80 * 60)) == 1)
        #expect(PageEstimator.textPages(in: String(repeating: "x", count: 80 * 60 + 1)) == 2)
        // 30 lines of 81 columns wrap to 60 rows; 31 wrap to 62.
        #expect(PageEstimator.textPages(in: Self.lines(30, width: 81)) == 1)
        #expect(PageEstimator.textPages(in: Self.lines(31, width: 81)) == 2)
    }

    @Test func columnsAreCharactersNotBytes() {
        #expect(PageEstimator.textPages(in: String(repeating: "日", count: 80 * 60)) == 1)
        #expect(PageEstimator.textPages(in: String(repeating: "é", count: 80 * 60 + 1)) == 2)
    }

    @Test func formFeedsStartANewPage() {
        #expect(PageEstimator.textPages(in: "one\u{0C}two") == 2)
        #expect(PageEstimator.textPages(in: "one\u{0C}two\u{0C}three") == 3)
        #expect(PageEstimator.textPages(in: "one\n\u{0C}two\n") == 2)
        #expect(PageEstimator.textPages(in: "one\u{0C}\u{0C}three") == 3)
    }

    @Test func aFormFeedResetsTheLineCount() {
        let text = Self.lines(59) + "\u{0C}" + Self.lines(59)
        #expect(PageEstimator.textPages(in: text) == 2)
        let overflowing = Self.lines(61) + "\u{0C}" + Self.lines(61)
        #expect(PageEstimator.textPages(in: overflowing) == 4)
    }

    @Test func customPageGeometry() {
        #expect(PageEstimator.textPages(in: Self.lines(10), linesPerPage: 10) == 1)
        #expect(PageEstimator.textPages(in: Self.lines(11), linesPerPage: 10) == 2)
        #expect(PageEstimator.textPages(in: Self.lines(5, width: 21), linesPerPage: 10, columns: 20) == 1)
        #expect(PageEstimator.textPages(in: Self.lines(6, width: 21), linesPerPage: 10, columns: 20) == 2)
    }
}
