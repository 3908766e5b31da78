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
    public static let horizontalDPI = 204.0
}
