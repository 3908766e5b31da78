/// Why an action could not be completed.
public enum AMIError: Error, Sendable, Equatable {
    /// There is no logged-in session right now; the associated value says why.
    case notConnected(String)
    /// No response arrived within the action's timeout.
    case timeout(action: String)
    /// Asterisk answered `Response: Error`; the associated value is its `Message`.
    case rejected(String)
    /// The session was lost while the action was pending.
    case connectionLost
    /// The connection is stopping or stopped, or the calling task was cancelled.
    case shuttingDown
    /// The action cannot be encoded (CR/LF in a key or value, `:` in a key, reserved key, empty key).
    case invalidAction(String)
}
