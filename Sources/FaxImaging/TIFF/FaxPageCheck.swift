import FaxbotCore

/// The geometry every page must have before it goes near a call.
public enum FaxPageCheck {
    public static func requireFaxGeometry(_ page: BilevelImage, number: Int, resolution: Resolution) throws(DocumentRejection) {
        guard FaxGeometry.t30Widths.contains(page.width) else {
            throw DocumentRejection("page \(number) is \(page.width) pixels wide; a fax page must be 1728")
        }
        guard FaxGeometry.close(page.xResolution, to: FaxGeometry.horizontalDPI),
            FaxGeometry.close(page.yResolution, to: Double(resolution.linesPerInch))
        else {
            throw DocumentRejection(
                "page \(number) is \(Int(page.xResolution)) × \(Int(page.yResolution)) dpi; "
                    + "a \(resolution.rawValue) fax page must be 204 × \(resolution.linesPerInch)")
        }
    }
}
