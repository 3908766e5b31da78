/// Where an ``ESLConnection`` is in its life.
public enum ESLSessionState: Sendable, Equatable {
    /// Connecting, waiting for `auth/request`, authenticating or subscribing.
    case connecting
    /// Authenticated and subscribed; commands can be sent.
    case connected
    /// No session; a reconnect is scheduled. The value says why (also "not started" before `run()`).
    case disconnected(String)
    /// FreeSWITCH answered `auth` with `-ERR …` (the reply text, e.g. "-ERR invalid"); retried at
    /// ``ESLConfiguration/authenticationRetry`` pace.
    case authenticationFailed(String)
    /// `run()` has returned.
    case stopped
}

/// What a subscriber receives from ``ESLConnection/subscribe(filter:)``.
public enum ESLSessionEvent: Sendable, Equatable {
    /// Authenticated and subscribed, the first time or again after a reconnect. Always delivered.
    case connected
    /// The session was lost; pending commands failed with ``ESLError/connectionLost``. Events during
    /// the outage are lost (FreeSWITCH does not queue them for a closed socket). Always delivered.
    case disconnected(String)
    /// An event that passed the subscriber's filter.
    case event(ESLEvent)
    /// This subscriber fell behind: `dropped` events that matched its filter were discarded here.
    case overflow(dropped: Int)
}
