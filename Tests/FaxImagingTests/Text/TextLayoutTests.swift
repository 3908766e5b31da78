import FaxImaging
import FaxbotCore
import Foundation
import Testing

/// Page and line counts follow the daemon's estimate: 60 lines of at most 80 columns to a page.
struct TextLayoutTests {
    let layout = TextLayout()

    private func repeated(_ line: String, _ count: Int) -> String {
        String(repeating: line, count: count)
    }

    /// Printed lines, as strings with trailing spaces kept.
    private func lines(_ text: String) -> [String] {
        var result: [String] = []
        layout.layOut(text) { result.append(String($0.cells)) }
        return result
    }

    @Test func emptyTextIsOneBlankPage() {
        #expect(layout.pageCount(of: "") == 1)
        #expect(lines("") == [""])
    }

    @Test func sixtyLinesFillOnePageAndTheSixtyFirstStartsAnother() {
        #expect(layout.pageCount(of: repeated("x\n", 60)) == 1)
        #expect(layout.pageCount(of: repeated("x\n", 59) + "x") == 1)
        #expect(layout.pageCount(of: repeated("x\n", 61)) == 2)
        #expect(layout.pageCount(of: repeated("x\n", 120)) == 2)
        #expect(layout.pageCount(of: repeated("x\n", 121)) == 3)
    }

    @Test func aFinalLineBreakDoesNotStartAnotherLineButAnEmptyLineCounts() {
        #expect(lines("a\n") == ["a"])
        #expect(lines("a\n\n") == ["a", ""])
        #expect(layout.pageCount(of: repeated("x\n", 60) + "\n") == 2)
    }

    @Test func crlfIsOneLineBreak() {
        #expect(lines("a\r\nb\r\n") == ["a", "b"])
        #expect(layout.pageCount(of: repeated("x\r\n", 60)) == 1)
        #expect(layout.pageCount(of: repeated("x\r\n", 61)) == 2)
        #expect(layout.pageCount(of: repeated("x\r\n", 30) + repeated("y\n", 31)) == 2)
    }

    @Test func formFeedStartsANewPage() {
        #expect(layout.pageCount(of: "a\u{0C}b") == 2)
        #expect(layout.pageCount(of: "a\n\u{0C}b") == 2)
        #expect(layout.pageCount(of: "\u{0C}") == 2)
        #expect(layout.pageCount(of: "a\u{0C}") == 2)
        #expect(layout.pageCount(of: "\u{0C}\u{0C}") == 3)
        // A full page followed by a form feed does not leave a blank page between.
        #expect(layout.pageCount(of: repeated("x\n", 60) + "\u{0C}y") == 2)
        var pages: [Int] = []
        layout.layOut("a\u{0C}b\nc") { pages.append($0.page) }
        #expect(pages == [0, 1, 1])
    }

    @Test func longLinesWrapAtEightyColumns() {
        #expect(lines(String(repeating: "a", count: 80)).count == 1)
        #expect(lines(String(repeating: "a", count: 81)) == [String(repeating: "a", count: 80), "a"])
        #expect(layout.pageCount(of: String(repeating: "a", count: 4800)) == 1)
        #expect(layout.pageCount(of: String(repeating: "a", count: 4801)) == 2)
        #expect(layout.pageCount(of: repeated("x\n", 59) + String(repeating: "a", count: 81)) == 2)
    }

    @Test func wrappingPrefersASpaceInTheLastTwentyColumns() {
        let text = String(repeating: "a", count: 70) + " " + String(repeating: "b", count: 20)
        #expect(lines(text) == [String(repeating: "a", count: 70), String(repeating: "b", count: 20)])
        // A space further back than 20 columns is ignored: hard wrap.
        let early = String(repeating: "a", count: 50) + " " + String(repeating: "b", count: 40)
        #expect(lines(early) == [String(repeating: "a", count: 50) + " " + String(repeating: "b", count: 29), String(repeating: "b", count: 11)])
    }

    @Test func wordWrappingNeverChangesTheLineCount() {
        // Word-wrapping these 160 columns would need 3 lines; hard wrapping needs 2, so hard wrap wins.
        let text = String(repeating: "a", count: 70) + " " + String(repeating: "b", count: 89)
        #expect(lines(text).count == 2)
        #expect(lines(text)[0].count == 80)
    }

    @Test func tabsExpandToEightColumnStops() {
        #expect(lines("a\tb") == ["a       b"])
        #expect(lines("\tx") == ["        x"])
        #expect(lines("abcdefgh\tx") == ["abcdefgh        x"])
        // Ten tabs are 80 columns: exactly one line.
        #expect(lines(String(repeating: "\t", count: 10)).count == 1)
        #expect(lines(String(repeating: "\t", count: 10) + "x").count == 2)
    }

    @Test func otherControlCharactersAreDropped() {
        #expect(lines("a\u{07}b\u{00}c\rd\u{1B}e\u{7F}f\u{85}g\u{FEFF}h\u{200B}i") == ["abcdefghi"])
        // A line of nothing but control characters is still a line.
        #expect(lines("a\n\u{07}") == ["a", ""])
    }

    @Test func columnsAreCharactersNotScalars() {
        let accented = String(repeating: "e\u{301}", count: 80)
        #expect(lines(accented).count == 1)
        #expect(lines("Grüße, café, naïve — Ωμέγα, 日本語") == ["Grüße, café, naïve — Ωμέγα, 日本語"])
    }

    @Test func veryLongLinesAreHardWrappedWhileStreaming() {
        let text = String(repeating: "word ", count: 20_000)
        let printed = lines(text)
        #expect(printed.count == 100_000 / 80)
        #expect(printed.allSatisfy { $0.count == 80 })
        #expect(layout.pageCount(of: text) == (1250 + 59) / 60)
    }

    @Test func matchesThePageEstimatorOnRandomTextWithoutTabsOrControls() {
        var generator = SplitMix64(seed: 42)
        let alphabet: [Character] = ["a", "b", " ", " ", "é", "Ω", "\n", "\r\n", "\u{0C}"]
        for _ in 0..<300 {
            let length = Int(generator.next() % 3000)
            var text = ""
            for _ in 0..<length {
                let pick = Int(generator.next() % 40)
                text.append(pick < alphabet.count ? alphabet[pick] : "x")
            }
            #expect(layout.pageCount(of: text) == PageEstimator.textPages(in: text), "\(text.debugDescription)")
        }
    }
}

/// A small deterministic random number generator for reproducible test inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
