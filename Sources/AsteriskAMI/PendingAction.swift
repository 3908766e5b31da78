/// An action waiting for its response (and, for EventList actions, its list items).
struct PendingAction {
    let action: String
    let sessionID: UInt64
    var isEventList = false
    var response: AMIMessage?
    var events: [AMIMessage] = []
    var outcome: Result<AMIResponse, AMIError>?
    var waiter: CheckedContinuation<Result<AMIResponse, AMIError>, Never>?

    init(action: String, sessionID: UInt64) {
        self.action = action
        self.sessionID = sessionID
    }
}

/// Why one socket session ended.
enum SessionEnd: Error {
    case lost(String)
    case authenticationFailed(String)
}

extension Duration {
    /// The duration scaled by a factor (for backoff and jitter).
    func scaled(by factor: Double) -> Duration {
        let nanoseconds = (Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9) * factor
        return .nanoseconds(Int64(max(0, min(nanoseconds, 9e18))))
    }

    var nanosecondCount: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
