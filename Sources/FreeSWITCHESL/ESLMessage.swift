/// An outer frame classified by its `Content-Type`.
public enum ESLMessage: Sendable, Equatable {
    /// `auth/request`: the greeting; answer with `auth <password>`.
    case authRequest
    /// `command/reply`: the reply to `auth`, `event`, `bgapi`, `exit`, … (`Reply-Text: +OK …` / `-ERR …`).
    case commandReply(ESLHeaders)
    /// `api/response`: the body of an `api` command's output.
    case apiResponse(String)
    /// `text/event-plain`: an event, parsed and URL-decoded.
    case event(ESLEvent)
    /// `text/disconnect-notice`: FreeSWITCH is closing the socket (after `exit`, a failed `auth`, shutdown).
    case disconnectNotice(String)
    /// `text/rude-rejection`: the ACL refused this client; the socket closes.
    case rudeRejection(String)
    /// Anything else (`text/event-json`, `log/data`, a frame without `Content-Type`, …).
    case other(ESLFrame)

    /// Classifies a frame.
    ///
    /// - Throws: ``ESLProtocolError`` when a `text/event-plain` body does not parse.
    public init(_ frame: ESLFrame) throws(ESLProtocolError) {
        switch frame.contentType {
        case "auth/request":
            self = .authRequest
        case "command/reply":
            self = .commandReply(frame.headers)
        case "api/response":
            self = .apiResponse(frame.bodyText ?? "")
        case "text/event-plain":
            self = .event(try ESLEvent(plain: frame.body ?? []))
        case "text/disconnect-notice":
            self = .disconnectNotice(frame.bodyText ?? "")
        case "text/rude-rejection":
            self = .rudeRejection(frame.bodyText ?? "")
        default:
            self = .other(frame)
        }
    }
}
