/// What a TIFF directory says about one page.
public struct TIFFPageInfo: Sendable, Equatable {
    /// 0-based.
    public var index: Int
    public var width: Int
    public var height: Int
    public var bitsPerSample: Int
    public var samplesPerPixel: Int
    public var photometric: Int
    public var compression: Int
    public var fillOrder: Int
    public var subfileType: Int
    public var isTiled: Bool
    /// Dots per inch; nil when the file does not say (or says in no unit).
    public var xResolution: Double?
    public var yResolution: Double?
    /// TIFF's PageNumber pair (0-based page, total; 0 = unknown), when present.
    public var pageNumber: (page: Int, total: Int)?

    public var isBilevel: Bool { bitsPerSample == 1 && samplesPerPixel == 1 }

    public static func == (a: TIFFPageInfo, b: TIFFPageInfo) -> Bool {
        a.index == b.index && a.width == b.width && a.height == b.height && a.bitsPerSample == b.bitsPerSample
            && a.samplesPerPixel == b.samplesPerPixel && a.photometric == b.photometric && a.compression == b.compression
            && a.fillOrder == b.fillOrder && a.subfileType == b.subfileType && a.isTiled == b.isTiled && a.xResolution == b.xResolution
            && a.yResolution == b.yResolution && a.pageNumber?.page == b.pageNumber?.page && a.pageNumber?.total == b.pageNumber?.total
    }
}
