/// What an uploaded document is, decided by its content, never by its name or Content-Type.
public enum DocumentKind: String, Sendable, Codable, CaseIterable, Hashable {
    case pdf
    case text
    /// A black-and-white TIFF, as fax software writes (v4; v3 accepted PDF and text only).
    case tiff

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .text: "txt"
        case .tiff: "tif"
        }
    }
}
