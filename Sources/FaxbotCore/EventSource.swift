/// Who caused a transition; recorded with every `job_events` row.
public enum EventSource: String, Sendable, Codable, CaseIterable, Hashable {
    case api
    case transport
    case webhook
    case reconciler
    case `operator`
    case dispatcher
}
