import Logging
import PBXSession
import Synchronization

extension ESLConnection {
    /// Routes one decoded frame: replies to the oldest pending command, events to subscribers.
    ///
    /// - Throws: ``SessionEnd`` when the session must end (protocol error, disconnect notice,
    ///   rude rejection, a reply nobody waits for or of the wrong kind).
    func dispatch(_ frame: ESLFrame, session: UInt64) throws {
        let message: ESLMessage
        do {
            message = try ESLMessage(frame)
        } catch {
            logger.warning("ESL protocol error, dropping the session", metadata: ["esl.error": "\(error)"])
            throw SessionEnd.lost("protocol error: \(error)")
        }
        switch message {
        case .event(let event):
            publish(.event(event))
        case .authRequest:
            try handleReply(frame, expect: .greeting, session: session)
        case .commandReply:
            try handleReply(frame, expect: .commandReply, session: session)
        case .apiResponse:
            try handleReply(frame, expect: .apiResponse, session: session)
        case .disconnectNotice(let text):
            throw SessionEnd.lost("disconnect notice: \(Self.firstLine(text))")
        case .rudeRejection(let text):
            logger.error("ESL connection refused by FreeSWITCH's ACL", metadata: ["esl.message": "\(Self.firstLine(text))"])
            throw SessionEnd.lost("rude rejection: \(Self.firstLine(text))")
        case .other(let other):
            logger.debug("ESL frame ignored", metadata: ["esl.contentType": "\(other.contentType ?? "none")"])
        }
    }

    private func handleReply(_ frame: ESLFrame, expect: PendingCommand.Expect, session: UInt64) throws {
        enum Outcome {
            case matched(UInt64, becameReady: Bool)
            case unexpected(String)
        }
        let replyText = frame.headers["Reply-Text"] ?? ""
        let outcome: Outcome = core.withLock { core in
            guard core.session?.id == session else { return .unexpected("reply for an ended session") }
            guard let head = core.replyQueue.first else {
                return .unexpected("\(frame.contentType ?? "reply") while no command is pending")
            }
            guard head.expect == expect else {
                return .unexpected("\(frame.contentType ?? "reply") where \(head.expect) was expected")
            }
            core.replyQueue.removeFirst()
            var becameReady = false
            switch head.role {
            case .auth where replyText.hasPrefix("-ERR"):
                core.session?.authenticationFailure = replyText
            case .subscribe where replyText.hasPrefix("+OK") && !core.stopped:
                // Mark the session up here, on the reader, so `.connected` precedes the events that follow.
                core.session?.ready = true
                core.state = .connected
                becameReady = true
            default:
                break
            }
            return .matched(head.id, becameReady: becameReady)
        }
        switch outcome {
        case .unexpected(let what):
            logger.warning("ESL reply out of step, dropping the session", metadata: ["esl.reply": "\(what)"])
            throw SessionEnd.lost("unexpected \(what)")
        case .matched(let id, let becameReady):
            if becameReady { publish(.connected) }
            resolve(id, .success(frame))
        }
    }

    /// Hands an item to every subscriber whose filter accepts it; never waits.
    func publish(_ item: ESLSessionEvent) {
        let list = subscribers.withLock { $0.list }
        if case .event(let event) = item {
            for subscriber in list where subscriber.filter(event) {
                subscriber.buffer.push(item)
            }
        } else {
            for subscriber in list { subscriber.buffer.push(item) }
        }
    }

    static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" && $0 != "\r" })
    }
}
