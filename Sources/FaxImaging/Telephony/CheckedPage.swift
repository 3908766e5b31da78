/// One page of a TIFF-F file as spandsp will send it, measured by ``T4PageCheck``.
public struct CheckedPage: Sendable, Hashable {
    /// 1-based page number within the file.
    public var index: Int
    /// Width in pixels (1728, 2048 or 2432).
    public var width: Int
    /// Number of rows spandsp encoded for the page.
    public var rows: Int
    /// Horizontal resolution in dots per inch, as stored in the file.
    public var xResolution: Double
    /// Vertical resolution in dots per inch, as stored in the file.
    public var yResolution: Double
    /// Size of the page after T.4 2-D encoding, in bytes (an estimate of its line time).
    public var encodedBytes: Int

    /// Creates a page description.
    public init(index: Int, width: Int, rows: Int, xResolution: Double, yResolution: Double, encodedBytes: Int) {
        self.index = index
        self.width = width
        self.rows = rows
        self.xResolution = xResolution
        self.yResolution = yResolution
        self.encodedBytes = encodedBytes
    }

    /// `true` when the page is at fine (196/200 dpi) vertical resolution.
    public var isFine: Bool {
        yResolution > 150
    }
}
