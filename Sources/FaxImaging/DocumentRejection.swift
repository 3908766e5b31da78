/// Why a document cannot be faxed, in plain words a clinic's staff can act on.
///
/// Reasons never contain document names or contents: they describe the file's structure only.
public struct DocumentRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
