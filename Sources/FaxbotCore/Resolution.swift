/// Fax vertical resolution: fine (204×196 dpi, the default) or standard (204×98 dpi).
public enum Resolution: String, Sendable, Codable, CaseIterable, Hashable {
    case fine
    case standard
}
