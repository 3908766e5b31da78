import FaxbotCore

/// The vertical resolutions a fax page can have; horizontal is always 204 dpi.
extension Resolution {
    /// Rows per inch on the line: 196 (fine) or 98 (standard).
    public var linesPerInch: Int {
        switch self {
        case .fine: 196
        case .standard: 98
        }
    }

    /// Ghostscript's `-r` argument for this resolution.
    public var ghostscriptArgument: String { "-r204x\(linesPerInch)" }
}

/// Fax page geometry shared by every converter.
public enum FaxGeometry {
    /// Pixels per row of an A4/Letter fax page at 204 dpi.
    public static let pageWidth = 1728
    /// The widths a T.30 receiver can take at 204 dpi: A4/Letter, B4, A3.
    public static let t30Widths: Set<Int> = [1728, 2048, 2432]
    public static let horizontalDPI = 204.0

    /// Whether `measured` is within 5 % of `nominal`.
    public static func close(_ measured: Double, to nominal: Double) -> Bool {
        abs(measured - nominal) <= nominal * 0.05
    }
}
