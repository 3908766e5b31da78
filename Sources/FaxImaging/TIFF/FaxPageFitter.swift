import FaxbotCore

/// Fits a black-and-white page onto a fax page: 1728 pixels wide at 204 dpi, 98 or 196 rows per
/// inch, keeping its physical aspect ratio.
///
/// A page already in fax geometry is returned unchanged (pixel for pixel). A page within a few
/// pixels of 1728 at 204 dpi is cropped or padded on the right, as Ghostscript's fax devices do
/// (a 1734-pixel Letter page loses 6 white pixels of margin). Anything else is scaled with
/// nearest-neighbour sampling.
public enum FaxPageFitter {
    public static func fit(_ page: BilevelImage, resolution: Resolution) -> BilevelImage {
        let targetY = Double(resolution.linesPerInch)
        let width = FaxGeometry.pageWidth
        let sameX = FaxPageRules.matches(page.xResolution, anyOf: [FaxGeometry.horizontalDPI])
        let sameY = FaxPageRules.matches(page.yResolution, anyOf: [targetY])
        if sameX, sameY, abs(page.width - width) <= 64 {
            var fitted = page.width == width ? page : cropOrPad(page, to: width)
            fitted.xResolution = FaxGeometry.horizontalDPI
            fitted.yResolution = targetY
            return fitted
        }
        // Physical width of the page in inches, mapped onto the fax page's 1728 pixels.
        let inches = Double(page.width) / page.xResolution
        let faxInches = Double(width) / FaxGeometry.horizontalDPI
        let scale = faxInches / inches
        let rows = max(1, Int((Double(page.height) / page.yResolution * scale * targetY).rounded()))
        var out = BilevelImage(width: width, height: rows, xResolution: FaxGeometry.horizontalDPI, yResolution: targetY)
        let sourceX = (0..<width).map { min(page.width - 1, Int(Double($0) * Double(page.width) / Double(width))) }
        for y in 0..<rows {
            let sy = min(page.height - 1, Int(Double(y) * Double(page.height) / Double(rows)))
            for x in 0..<width where page.isBlack(x: sourceX[x], y: sy) { out.setBlack(x: x, y: y) }
        }
        return out
    }

    private static func cropOrPad(_ page: BilevelImage, to width: Int) -> BilevelImage {
        var out = BilevelImage(width: width, height: page.height, xResolution: page.xResolution, yResolution: page.yResolution)
        let copyBytes = min(page.rowBytes, out.rowBytes)
        for y in 0..<page.height {
            for i in 0..<copyBytes { out.bits[y * out.rowBytes + i] = page.bits[y * page.rowBytes + i] }
        }
        // Clear bits beyond the new width (when cropping mid-byte) and beyond the old width (padding).
        for y in 0..<page.height {
            for x in min(page.width, width)..<min(width, copyBytes * 8) {
                out.bits[y * out.rowBytes + x >> 3] &= ~(0x80 >> UInt8(x & 7))
            }
        }
        return out
    }
}
