/// What an uploaded document is, decided by its content, never by its name or Content-Type.
public enum DocumentKind: String, Sendable, Codable, CaseIterable, Hashable {
    case pdf
    case text

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .text: "txt"
        }
    }
}
