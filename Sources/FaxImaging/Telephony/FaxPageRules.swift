/// The page geometry a T.30 fax call accepts, as checked before dialling.
public enum FaxPageRules {
    /// T.30 page widths in pixels at R8 (204 dpi): A4/Letter/Legal, B4 and A3.
    public static let allowedWidths: [Int] = [1728, 2048, 2432]

    /// Nominal horizontal resolutions in dpi (R8 and its metric twin).
    public static let allowedXResolutions: [Double] = [204, 200]

    /// Nominal vertical resolutions in dpi (standard and fine, with their metric twins).
    public static let allowedYResolutions: [Double] = [98, 196, 100, 200]

    /// Relative tolerance allowed around each nominal resolution.
    public static let resolutionTolerance = 0.05

    /// Longest page accepted, in rows: about 2.5 m at fine resolution. Guards against hostile headers.
    public static let maximumRows = 20_000

    /// Whether `dpi` is within ``resolutionTolerance`` of one of `nominals`.
    static func matches(_ dpi: Double, anyOf nominals: [Double]) -> Bool {
        nominals.contains { abs(dpi - $0) <= $0 * resolutionTolerance }
    }

    /// Human-readable list such as "1728, 2048 or 2432".
    static func list<T: CustomStringConvertible>(_ values: [T]) -> String {
        let words = values.map(\.description)
        guard let last = words.last, words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }
}
