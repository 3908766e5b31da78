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
