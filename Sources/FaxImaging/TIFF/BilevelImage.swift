/// One black-and-white page in memory: rows packed 8 pixels to a byte, most significant bit
/// first, 1 = black.
public struct BilevelImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var bits: [UInt8]
    /// Dots per inch as stored with the page.
    public var xResolution: Double
    public var yResolution: Double

    public var rowBytes: Int { (width + 7) / 8 }

    /// A white page.
    public init(width: Int, height: Int, xResolution: Double, yResolution: Double) {
        self.width = width
        self.height = height
        self.bits = [UInt8](repeating: 0, count: ((width + 7) / 8) * height)
        self.xResolution = xResolution
        self.yResolution = yResolution
    }

    public func isBlack(x: Int, y: Int) -> Bool {
        bits[y * rowBytes + x >> 3] & (0x80 >> UInt8(x & 7)) != 0
    }

    public mutating func setBlack(x: Int, y: Int) {
        bits[y * rowBytes + x >> 3] |= 0x80 >> UInt8(x & 7)
    }
}
