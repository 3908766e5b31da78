/// A page size that fax documents are laid out on, in PDF points (1/72 inch).
public enum PaperSize: String, Sendable, CaseIterable {
    /// US Letter, 8.5 × 11 in (612 × 792 pt).
    case letter
    /// ISO A4, 210 × 297 mm (595.28 × 841.89 pt).
    case a4

    /// The page width in points.
    public var width: Double {
        switch self {
        case .letter: 612
        case .a4: 595.28
        }
    }

    /// The page height in points.
    public var height: Double {
        switch self {
        case .letter: 792
        case .a4: 841.89
        }
    }
}
