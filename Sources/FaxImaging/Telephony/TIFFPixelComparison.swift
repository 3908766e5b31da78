/// Page-by-page pixel comparison of two bilevel TIFF files, independent of compression,
/// fill order and photometric interpretation.
public enum TIFFPixelComparison {
    /// Decodes every page of both files with libtiff and compares them.
    ///
    /// Used to assert that a fax loopback's received file equals the file sent, pixel for pixel.
    ///
    /// - Throws: ``PixelComparisonError`` if either file cannot be opened or decoded.
    public static func pagesEqual(_ a: String, _ b: String) throws(PixelComparisonError) -> PixelComparison {
        let first = try BilevelPageReader(path: a)
        let second = try BilevelPageReader(path: b)
        var pagesInFirst = 0
        var pagesInSecond = 0
        var firstDifferingPage: Int?
        while true {
            let pageA = try first.next()
            let pageB = try second.next()
            if pageA == nil && pageB == nil { break }
            if pageA != nil { pagesInFirst += 1 }
            if pageB != nil { pagesInSecond += 1 }
            if firstDifferingPage == nil && pageA != pageB {
                firstDifferingPage = max(pagesInFirst, pagesInSecond)
            }
        }
        return PixelComparison(pagesInFirst: pagesInFirst, pagesInSecond: pagesInSecond, firstDifferingPage: firstDifferingPage)
    }
}
