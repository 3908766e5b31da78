/// Where an ``AMIConnection`` is in its life.
public enum AMISessionState: Sendable, Equatable {
    /// Connecting, waiting for the banner or logging in.
    case connecting
    /// Logged in; actions can be sent.
    case connected
    /// No session; a reconnect is scheduled. The value says why (also "not started" before `run()`).
    case disconnected(String)
    /// Asterisk refused the login (its `Message`, e.g. "Authentication failed"); retried at `reconnectMax` pace.
    case authenticationFailed(String)
    /// `run()` has returned.
    case stopped
}

/// What a subscriber receives from ``AMIConnection/subscribe(filter:)``.
public enum AMISessionEvent: Sendable, Equatable {
    /// Logged in, the first time or again after a reconnect. Always delivered.
    case connected
    /// The logged-in session was lost; pending actions failed with ``AMIError/connectionLost``.
    /// Events during the outage are lost. Always delivered.
    case disconnected(String)
    /// An event that passed the subscriber's filter.
    case event(AMIMessage)
    /// This subscriber fell behind: `dropped` events that matched its filter were discarded here.
    case overflow(dropped: Int)
}
