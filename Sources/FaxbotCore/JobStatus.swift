/// The canonical status of an outbound fax job: the only statuses the API ever shows.
public enum JobStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case queued
    case inProgress = "in_progress"
    case delivered
    case failed
    case canceled

    /// Terminal statuses absorb every later event.
    public var isTerminal: Bool {
        switch self {
        case .delivered, .failed, .canceled: true
        case .queued, .inProgress: false
        }
    }
}
