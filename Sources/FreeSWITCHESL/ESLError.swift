/// Why a command could not be completed.
public enum ESLError: Error, Sendable, Equatable {
    /// There is no authenticated, subscribed session right now; the associated value says why.
    case notConnected(String)
    /// No reply arrived within the command's timeout. ESL replies carry no id, so the session is
    /// dropped and re-established (the late reply would be taken for the next command's).
    case timeout(command: String)
    /// FreeSWITCH answered the command with `-ERR …`; the associated value is the whole reply text.
    case rejected(String)
    /// The session was lost while the command was pending.
    case connectionLost
    /// The connection is stopping or stopped, or the calling task was cancelled.
    case shuttingDown
    /// The command cannot be sent: empty, or holding CR or LF (which would inject a second command).
    case invalidCommand(String)
}
