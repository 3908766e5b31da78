import Logging
import PBXSession
import Synchronization

extension AMIConnection {
    /// Routes one decoded frame: responses and EventList items to their pending action, other events
    /// to subscribers.
    func dispatch(_ frame: AMIFrame, session: UInt64) {
        switch frame {
        case .banner(let text):
            core.withLock { core in
                if core.session?.id == session { core.session?.banner = text }
            }
            resolve(Self.bannerKey(session), .success(AMIResponse(message: AMIMessage([AMIField("Banner", text)]))))
        case .message(let message):
            // Events first: OriginateResponse carries both `Event:` and `Response:`.
            if message.event != nil {
                if let actionID = message.actionID, collectListItem(message, actionID: actionID) { return }
                publish(.event(message))
            } else if message.response != nil {
                handleResponse(message, session: session)
            } else {
                logger.debug("AMI packet without Response or Event ignored", metadata: ["ami.fields": "\(message.fields.count)"])
            }
        }
    }

    static func bannerKey(_ session: UInt64) -> String { "\u{0}banner-\(session)" }

    private func handleResponse(_ message: AMIMessage, session: UInt64) {
        guard let actionID = message.actionID else {
            logger.debug("AMI response without ActionID ignored", metadata: ["ami.response": "\(message.response ?? "")"])
            return
        }
        var loggedIn = false
        let outcome: Result<AMIResponse, AMIError>? = core.withLock { core in
            guard var pending = core.pending[actionID], pending.outcome == nil, pending.response == nil else { return nil }
            if message.response?.amiEqualsIgnoringCase("Error") == true {
                let text = message["Message"] ?? ""
                if pending.action.amiEqualsIgnoringCase("Login"), core.session?.id == session {
                    core.session?.authenticationFailure = text.isEmpty ? "Authentication failed" : text
                }
                return .failure(.rejected(text))
            }
            let response = AMIResponse(message: message)
            if response.isSuccess, message["EventList"]?.amiEqualsIgnoringCase("start") == true {
                pending.isEventList = true
                pending.response = message
                core.pending[actionID] = pending
                return nil
            }
            if pending.action.amiEqualsIgnoringCase("Login"), core.session?.id == session, !core.stopped {
                // Mark the session up here, on the reader, so `.connected` precedes the events
                // that follow the login reply (FullyBooted, …).
                core.session?.loggedIn = true
                core.state = .connected
                loggedIn = true
            }
            return .success(response)
        }
        if loggedIn { publish(.connected) }
        if let outcome {
            resolve(actionID, outcome)
        } else {
            logger.trace("AMI response", metadata: ["ami.actionID": "\(actionID)"])
        }
    }

    /// Adds an event to a pending EventList; returns `false` when the ActionID is not one.
    private func collectListItem(_ message: AMIMessage, actionID: String) -> Bool {
        let (consumed, outcome): (Bool, AMIResponse?) = core.withLock { core in
            guard var pending = core.pending[actionID], pending.isEventList, pending.outcome == nil,
                let response = pending.response
            else { return (false, nil) }
            if message["EventList"]?.amiEqualsIgnoringCase("Complete") == true {
                return (true, AMIResponse(message: response, events: pending.events, completion: message))
            }
            pending.events.append(message)
            core.pending[actionID] = pending
            return (true, nil)
        }
        if let outcome { resolve(actionID, .success(outcome)) }
        return consumed
    }

    /// Hands an item to every subscriber whose filter accepts it; never waits.
    func publish(_ item: AMISessionEvent) {
        let list = subscribers.withLock { $0.list }
        if case .event(let message) = item {
            for subscriber in list where subscriber.filter(message) {
                subscriber.buffer.push(item)
            }
        } else {
            for subscriber in list { subscriber.buffer.push(item) }
        }
    }
}
