/// A command waiting for its reply. ESL replies carry no id: they come strictly in the order the
/// commands were sent, so pending commands form a FIFO per session.
struct PendingCommand {
    enum Expect: Equatable {
        /// The `auth/request` greeting (registered when the socket opens).
        case greeting
        /// A `command/reply` (auth, event, bgapi, exit, …).
        case commandReply
        /// An `api/response`.
        case apiResponse
    }

    enum Role: Equatable {
        case user
        case auth
        /// The `event plain …` reply: a `+OK` marks the session connected, on the reader.
        case subscribe
    }

    let id: UInt64
    let label: String
    let expect: Expect
    let role: Role
    let sessionID: UInt64
    var outcome: Result<ESLFrame, ESLError>?
    var waiter: CheckedContinuation<Result<ESLFrame, ESLError>, Never>?
}

/// Why one socket session ended.
enum SessionEnd: Error {
    case lost(String)
    case authenticationFailed(String)
}
