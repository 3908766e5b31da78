import FaxbotCore

/// A black-and-white TIFF (any compression, fill order, resolution or width) → TIFF-F.
public enum TIFFToFaxTIFF {
    /// - Parameter resolution: the resolution every page is brought to; nil keeps each page's own
    ///   class (a received fax mixes fine and standard pages, and each must keep its aspect).
    public static func convert(tiff: String, output: String, resolution: Resolution?) throws(DocumentRejection) -> Int {
        let reader = try TIFFReader(path: tiff)
        let writer = try FaxTIFFWriter.Session(path: output, total: reader.pageCount)
        for index in 0..<reader.pageCount {
            let source = try reader.readBilevel(page: index)
            let target = resolution ?? (source.yResolution >= 147 ? .fine : .standard)
            let page = FaxPageFitter.fit(source, resolution: target)
            try FaxPageCheck.requireFaxGeometry(page, number: index + 1, resolution: target)
            try writer.append(page)
        }
        try writer.finish()
        return reader.pageCount
    }
}
