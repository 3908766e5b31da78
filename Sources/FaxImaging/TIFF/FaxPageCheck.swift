import FaxbotCore

/// The geometry every page must have before it goes near a call.
public enum FaxPageCheck {
    public static func requireFaxGeometry(_ page: BilevelImage, number: Int, resolution: Resolution) throws(DocumentRejection) {
        try requireFaxGeometry(
            width: page.width, xResolution: page.xResolution, yResolution: page.yResolution, number: number, resolution: resolution)
    }

    /// The same check on a page's tags, before its pixels are read.
    public static func requireFaxGeometry(_ info: TIFFPageInfo, number: Int, resolution: Resolution) throws(DocumentRejection) {
        guard info.isBilevel else {
            throw DocumentRejection("page \(number) has \(info.bitsPerSample * info.samplesPerPixel) bits per pixel; a fax page has 1")
        }
        try requireFaxGeometry(
            width: info.width, xResolution: info.xResolution ?? 0, yResolution: info.yResolution ?? 0, number: number, resolution: resolution)
    }

    static func requireFaxGeometry(
        width: Int, xResolution: Double, yResolution: Double, number: Int, resolution: Resolution
    ) throws(DocumentRejection) {
        guard FaxPageRules.allowedWidths.contains(width) else {
            throw DocumentRejection("page \(number) is \(width) pixels wide; a fax page must be 1728")
        }
        guard FaxPageRules.matches(xResolution, anyOf: [FaxGeometry.horizontalDPI]),
            FaxPageRules.matches(yResolution, anyOf: [Double(resolution.linesPerInch)])
        else {
            throw DocumentRejection(
                "page \(number) is \(Int(xResolution)) × \(Int(yResolution)) dpi; "
                    + "a \(resolution.rawValue) fax page must be 204 × \(resolution.linesPerInch)")
        }
    }
}
