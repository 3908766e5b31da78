/// The result of ``TIFFPixelComparison/pagesEqual(_:_:)``.
public struct PixelComparison: Sendable, Hashable {
    /// Pages in the first file.
    public var pagesInFirst: Int
    /// Pages in the second file.
    public var pagesInSecond: Int
    /// The first 1-based page whose size or pixels differ (a page missing from one file counts
    /// as differing), or `nil` when both files hold the same pages pixel for pixel.
    public var firstDifferingPage: Int?

    public init(pagesInFirst: Int, pagesInSecond: Int, firstDifferingPage: Int?) {
        self.pagesInFirst = pagesInFirst
        self.pagesInSecond = pagesInSecond
        self.firstDifferingPage = firstDifferingPage
    }

    /// Whether the files are pixel-identical, page for page.
    public var identical: Bool {
        firstDifferingPage == nil
    }
}
