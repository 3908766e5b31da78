import CSpanDSP

/// The image-data modems a T.30 endpoint may offer (`T30_SUPPORT_*` modem bits).
public struct FaxModems: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// V.27ter, 2400/4800 bit/s.
    public static let v27ter = FaxModems(rawValue: Int(T30_SUPPORT_V27TER))
    /// V.29, 7200/9600 bit/s.
    public static let v29 = FaxModems(rawValue: Int(T30_SUPPORT_V29))
    /// V.17, up to 14400 bit/s.
    public static let v17 = FaxModems(rawValue: Int(T30_SUPPORT_V17))
    /// The usual Group 3 set: V.27ter, V.29 and V.17.
    public static let standard: FaxModems = [.v27ter, .v29, .v17]
}
