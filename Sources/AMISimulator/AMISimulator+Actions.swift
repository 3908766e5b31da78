import AsteriskAMI
import Foundation
import NIOCore
import Synchronization

extension AMISimulator {
    /// Handles one action from client `id` (on that client's event loop).
    func handle(_ message: AMIMessage, raw: String, connection id: Int) {
        state.withLock { state in
            state.received.append(message)
            state.receivedText.append(raw)
            guard !state.frozen, let connection = state.connections[id] else { return }
            let name = message["Action"] ?? ""
            guard !state.ignoredActions.contains(name.lowercased()) else { return }
            let reply = Reply(actionID: message.actionID, connection: id)

            switch name.lowercased() {
            case "login":
                login(message, connection: connection, reply: reply, state: &state)
            case "challenge":
                guard message["AuthType"]?.lowercased() == "md5" else {
                    return reply.error("Must specify AuthType", &state)
                }
                let challenge = String(UInt32.random(in: 100_000_000...999_999_999))
                state.connections[id]?.challenge = challenge
                reply.send([AMIField("Response", "Success")], [AMIField("Challenge", challenge)], &state)
            case "logoff":
                reply.send([AMIField("Response", "Goodbye")], [AMIField("Message", "Thanks for all the fish.")], &state, thenClose: true)
            case _ where !connection.loggedIn:
                reply.error("Permission denied", &state)
            case "ping":
                let now = Date().timeIntervalSince1970
                reply.send(
                    [AMIField("Response", "Success")],
                    [AMIField("Ping", "Pong"), AMIField("Timestamp", String(format: "%.6f", now))],
                    &state
                )
            case "events":
                let on = (message["EventMask"] ?? "on").lowercased() != "off"
                state.connections[id]?.eventsOn = on
                reply.send([AMIField("Response", "Success")], [AMIField("Events", on ? "On" : "Off")], &state)
            case "originate":
                originate(message, reply: reply, state: &state)
            case "hangup":
                hangup(message, reply: reply, state: &state)
            case "coreshowchannels":
                coreShowChannels(reply: reply, state: &state)
            case "status":
                status(message, reply: reply, state: &state)
            case "dbget", "dbput", "dbdel":
                database(name.lowercased(), message, reply: reply, state: &state)
            default:
                reply.error("Invalid/unknown command: \(name). Use Action: ListCommands to show available commands.", &state)
            }
        }
    }

    private func login(_ message: AMIMessage, connection: SimulatedConnection, reply: Reply, state: inout SimulatorState) {
        let userMatches = message["Username"] == username
        let accepted: Bool
        if message["AuthType"]?.lowercased() == "md5" {
            let expected = connection.challenge.map { AMIAuthentication.md5Key(challenge: $0, secret: secret) }
            accepted = userMatches && expected != nil && message["Key"]?.lowercased() == expected
        } else {
            accepted = userMatches && message["Secret"] == secret
        }
        guard accepted else {
            return reply.send([AMIField("Response", "Error")], [AMIField("Message", "Authentication failed")], &state, thenClose: true)
        }
        let eventsOn = (message["Events"] ?? "on").lowercased() != "off"
        state.connections[reply.connection]?.loggedIn = true
        state.connections[reply.connection]?.eventsOn = eventsOn
        reply.send([AMIField("Response", "Success")], [AMIField("Message", "Authentication accepted")], &state)
        if eventsOn {
            let booted = AMIMessage([
                AMIField("Event", "FullyBooted"), AMIField("Privilege", "system,all"), AMIField("Uptime", "109"),
                AMIField("LastReload", "109"), AMIField("Status", "Fully Booted"),
            ])
            state.write(ByteBuffer(string: booted.encoded()), to: reply.connection)
        }
    }

    private func coreShowChannels(reply: Reply, state: inout SimulatorState) {
        let channels = state.channels.values.sorted { $0.order < $1.order }
        reply.send([AMIField("Response", "Success")], [AMIField("EventList", "start"), AMIField("Message", "Channels will follow")], &state)
        for channel in channels {
            var fields = [AMIField("Event", "CoreShowChannel")]
            if let actionID = reply.actionID { fields.append(AMIField("ActionID", actionID)) }
            fields += channel.fields()
            fields += [
                AMIField("BridgeId", ""), AMIField("Application", channel.application),
                AMIField("ApplicationData", channel.applicationData), AMIField("Duration", channel.duration),
            ]
            state.write(ByteBuffer(string: AMIMessage(fields).encoded()), to: reply.connection)
        }
        reply.complete("CoreShowChannelsComplete", items: channels.count, &state)
    }

    private func status(_ message: AMIMessage, reply: Reply, state: inout SimulatorState) {
        var channels = state.channels.values.sorted { $0.order < $1.order }
        if let wanted = message["Channel"], !wanted.isEmpty {
            channels = channels.filter { $0.name == wanted }
            guard !channels.isEmpty else { return reply.error("No such channel", &state) }
        }
        reply.send([AMIField("Response", "Success")], [AMIField("EventList", "start"), AMIField("Message", "Channel status will follow")], &state)
        for channel in channels {
            var fields = [AMIField("Event", "Status"), AMIField("Privilege", "Call")]
            fields += channel.fields()
            fields += [
                AMIField("Type", String(channel.name.prefix { $0 != "/" })), AMIField("DNID", ""),
                AMIField("EffectiveConnectedLineNum", channel.connectedLineNum),
                AMIField("EffectiveConnectedLineName", channel.connectedLineName), AMIField("TimeToHangup", "0"),
                AMIField("BridgeID", ""), AMIField("Application", channel.application), AMIField("Data", channel.applicationData),
                AMIField("Nativeformats", "(ulaw)"), AMIField("Readformat", "ulaw"), AMIField("Readtrans", ""),
                AMIField("Writeformat", "ulaw"), AMIField("Writetrans", ""), AMIField("Callgroup", "0"),
                AMIField("Pickupgroup", "0"), AMIField("Seconds", "\(channel.seconds)"),
            ]
            if let actionID = reply.actionID { fields.append(AMIField("ActionID", actionID)) }
            state.write(ByteBuffer(string: AMIMessage(fields).encoded()), to: reply.connection)
        }
        reply.complete("StatusComplete", items: channels.count, &state, extra: [AMIField("Items", "\(channels.count)")])
    }

    private func database(_ action: String, _ message: AMIMessage, reply: Reply, state: inout SimulatorState) {
        guard let family = message["Family"], !family.isEmpty else { return reply.error("No family specified.", &state) }
        guard let key = message["Key"], !key.isEmpty else { return reply.error("No key specified.", &state) }
        switch action {
        case "dbput":
            state.database[family, default: [:]][key] = message["Val"] ?? ""
            reply.send([AMIField("Response", "Success")], [AMIField("Message", "Updated database successfully")], &state)
        case "dbdel":
            guard state.database[family]?[key] != nil else { return reply.error("Database entry not found", &state) }
            state.database[family]?[key] = nil
            reply.send([AMIField("Response", "Success")], [AMIField("Message", "Key deleted successfully")], &state)
        default:
            guard let value = state.database[family]?[key] else { return reply.error("Database entry not found", &state) }
            reply.send([AMIField("Response", "Success")], [AMIField("EventList", "start"), AMIField("Message", "Result will follow")], &state)
            var fields = [AMIField("Event", "DBGetResponse")]
            if let actionID = reply.actionID { fields.append(AMIField("ActionID", actionID)) }
            fields += [AMIField("Family", family), AMIField("Key", key), AMIField("Val", value)]
            state.write(ByteBuffer(string: AMIMessage(fields).encoded()), to: reply.connection)
            reply.complete("DBGetComplete", items: 1, &state)
        }
    }
}

/// Writes responses to one action, with its ActionID right after `Response:` as Asterisk does.
struct Reply {
    let actionID: String?
    let connection: Int

    func send(_ head: [AMIField], _ rest: [AMIField], _ state: inout SimulatorState, thenClose: Bool = false) {
        var fields = head
        if let actionID { fields.append(AMIField("ActionID", actionID)) }
        fields += rest
        state.write(ByteBuffer(string: AMIMessage(fields).encoded()), to: connection, thenClose: thenClose)
    }

    func error(_ message: String, _ state: inout SimulatorState) {
        send([AMIField("Response", "Error")], [AMIField("Message", message)], &state)
    }

    func complete(_ event: String, items: Int, _ state: inout SimulatorState, extra: [AMIField] = []) {
        var fields = [AMIField("Event", event)]
        if let actionID { fields.append(AMIField("ActionID", actionID)) }
        fields += [AMIField("EventList", "Complete"), AMIField("ListItems", "\(items)")] + extra
        state.write(ByteBuffer(string: AMIMessage(fields).encoded()), to: connection)
    }
}
