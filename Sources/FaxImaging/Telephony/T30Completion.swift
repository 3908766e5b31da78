import CSpanDSP

/// A T.30 phase E completion code (`T30_ERR_*`) with spandsp's description.
public struct T30Completion: Sendable, Hashable, CustomStringConvertible {
    /// The raw `T30_ERR_*` value.
    public var code: Int

    public init(code: Int) {
        self.code = code
    }

    /// `T30_ERR_OK`: the call completed normally.
    public static let ok = T30Completion(code: Int(T30_ERR_OK))
    /// `T30_ERR_NOSIZESUPPORT`: the far end cannot receive a page of this width.
    public static let noSizeSupport = T30Completion(code: Int(T30_ERR_NOSIZESUPPORT))
    /// `T30_ERR_FILEERROR`: the TIFF file to send could not be opened.
    public static let fileError = T30Completion(code: Int(T30_ERR_FILEERROR))
    /// `T30_ERR_CALLDROPPED`: the call ended prematurely (for example `t30_terminate`).
    public static let callDropped = T30Completion(code: Int(T30_ERR_CALLDROPPED))

    /// Whether the call completed normally.
    public var isOK: Bool {
        code == Int(T30_ERR_OK)
    }

    /// spandsp's text for the code (`t30_completion_code_to_str`).
    public var text: String {
        guard let text = t30_completion_code_to_str(Int32(truncatingIfNeeded: code)) else { return "unknown completion code \(code)" }
        return String(cString: text)
    }

    public var description: String {
        "\(code) (\(text))"
    }
}
