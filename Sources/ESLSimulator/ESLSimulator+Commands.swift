import Foundation
import FreeSWITCHESL
import NIOCore
import Synchronization

extension ESLSimulator {
    static let disconnectNotice = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"

    /// Handles one command from client `id` (on that client's event loop), the way
    /// mod_event_socket's `parse_command` does.
    func handle(_ text: String, connection id: Int) {
        state.withLock { state in
            state.received.append(text)
            guard !state.frozen, let connection = state.connections[id] else { return }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
            guard let line = lines.first.map(String.init) else { return }
            let lowered = line.lowercased()
            guard !state.ignoredCommands.contains(where: { lowered.hasPrefix($0) }) else { return }
            var headers: [String: String] = [:]
            for header in lines.dropFirst() {
                guard let colon = header.firstIndex(of: ":") else { continue }
                headers[header[..<colon].lowercased()] = String(header[header.index(after: colon)...].drop { $0 == " " })
            }

            if lowered.hasPrefix("exit") {
                reply("+OK bye", to: id, &state)
                state.write(Self.disconnectFrame(), to: id, thenClose: true)
                return
            }
            guard connection.authenticated else {
                if lowered.hasPrefix("auth ") {
                    if String(line.dropFirst(5)) == password {
                        state.connections[id]?.authenticated = true
                        reply("+OK accepted", to: id, &state)
                    } else {
                        reply("-ERR invalid", to: id, &state)
                        state.write(Self.disconnectFrame(), to: id, thenClose: true)
                    }
                } else {
                    reply("-ERR command not found", to: id, &state)
                }
                return
            }
            if lowered.hasPrefix("event ") {
                subscribe(line, connection: id, &state)
            } else if lowered.hasPrefix("noevents") {
                let had = state.connections[id]?.events != nil
                state.connections[id]?.events = nil
                reply(had ? "+OK no longer listening for events" : "-ERR not listening for events", to: id, &state)
            } else if lowered.hasPrefix("api ") {
                let command = String(line.dropFirst(4))
                let body = api(command, &state)
                let bytes = Array(body.utf8)
                state.write(Array("Content-Type: api/response\nContent-Length: \(bytes.count)\n\n".utf8) + bytes, to: id)
            } else if lowered.hasPrefix("bgapi ") {
                bgapi(String(line.dropFirst(6)), jobUUID: headers["job-uuid"], connection: id, &state)
            } else {
                reply("-ERR command not found", to: id, &state)
            }
        }
    }

    private func reply(_ text: String, to id: Int, _ state: inout SimulatorState) {
        state.write(Array("Content-Type: command/reply\nReply-Text: \(text)\n\n".utf8), to: id)
    }

    static func disconnectFrame() -> [UInt8] {
        let body = Array(disconnectNotice.utf8)
        return Array("Content-Type: text/disconnect-notice\nContent-Length: \(body.count)\n\n".utf8) + body
    }

    private func subscribe(_ line: String, connection id: Int, _ state: inout SimulatorState) {
        var words = line.split(separator: " ").dropFirst()
        var format = "plain"
        if let first = words.first, ["plain", "json", "xml"].contains(first.lowercased()) {
            format = first.lowercased()
            words = words.dropFirst()
        }
        var subscription = state.connections[id]?.events ?? EventSubscription()
        guard subscription.add(Array(words)) > 0 else { return reply("-ERR no keywords supplied", to: id, &state) }
        state.connections[id]?.events = subscription
        reply("+OK event listener enabled \(format)", to: id, &state)
    }

    /// The output of an api command, as mod_commands writes it.
    func api(_ command: String, _ state: inout SimulatorState) -> String {
        let words = command.split(separator: " ", omittingEmptySubsequences: true)
        let verb = words.first.map(String.init) ?? ""
        switch verb.lowercased() {
        case "status":
            return Self.statusText(sessions: state.channels.count, total: state.originateCount)
        case "uuid_exists":
            guard words.count >= 2 else { return "-USAGE: <uuid>\n" }
            return state.channels[String(words[1])] != nil ? "true" : "false"
        case "uuid_kill":
            guard words.count >= 2 else { return "-USAGE: <uuid> [cause]\n" }
            return kill(String(words[1]), &state) ? "+OK\n" : "-ERR No such channel!\n"
        case "show" where command.lowercased().hasPrefix("show channels"):
            return command.lowercased().hasSuffix("as json")
                ? Self.channelsJSON(state.channels.values.sorted { $0.order < $1.order })
                : Self.channelsCSV(state.channels.values.sorted { $0.order < $1.order })
        case "originate":
            return "-ERR the simulator runs originate through bgapi only\n"
        default:
            return "-ERR \(verb) Command not found!\n"
        }
    }

    private func bgapi(_ command: String, jobUUID: String?, connection id: Int, _ state: inout SimulatorState) {
        let job = jobUUID.flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        state.write(Array("Content-Type: command/reply\nReply-Text: +OK Job-UUID: \(job)\nJob-UUID: \(job)\n\n".utf8), to: id)
        let verb = command.prefix { $0 != " " }
        let argument = String(command.dropFirst(verb.count).drop { $0 == " " })
        if verb.lowercased() == "originate" {
            originate(argument: argument, jobUUID: job, &state)
            return
        }
        var headers: [ESLField] = [ESLField("Event-Name", "BACKGROUND_JOB")] + Self.coreHeaders()
        headers += [ESLField("Job-UUID", job), ESLField("Job-Command", String(verb))]
        if !argument.isEmpty { headers.append(ESLField("Job-Command-Arg", argument)) }
        state.broadcast(ESLEvent(headers: ESLHeaders(headers), body: api(command, &state)))
    }

    static func coreHeaders() -> [ESLField] {
        let now = Date()
        let micros = UInt64(now.timeIntervalSince1970 * 1e6)
        return [
            ESLField("Core-UUID", "0017d0a6-64d1-4273-9c5b-e1860a89f4a7"), ESLField("FreeSWITCH-Hostname", "vm"),
            ESLField("FreeSWITCH-Switchname", "vm"), ESLField("FreeSWITCH-IPv4", "192.0.2.2"), ESLField("FreeSWITCH-IPv6", "fd00::2"),
            ESLField("Event-Date-Timestamp", String(micros)),
        ]
    }

    static func statusText(sessions: Int, total: Int) -> String {
        "UP 0 years, 0 days, 0 hours, 1 minute, 2 seconds, 345 milliseconds, 678 microseconds\n"
            + "FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n"
            + "\(total) session(s) since startup\n"
            + "\(sessions) session(s) - peak \(max(sessions, 1)), last 5min \(sessions) \n"
            + "0 session(s) per Sec out of max 30, peak 1, last 5min 1 \n"
            + "1000 session(s) max\nmin idle cpu 0.00/99.00\nCurrent Stack Size/Max 240K/8192K\n"
    }

    static func channelsJSON(_ channels: [SimulatedChannel]) -> String {
        guard !channels.isEmpty else { return "{\"row_count\":0}\n" }
        let rows = channels.map { channel -> String in
            let created = Date(timeIntervalSince1970: channel.created)
            let fields: [(String, String)] = [
                ("uuid", channel.uuid), ("direction", "outbound"), ("created", Self.timestamp(created)),
                ("created_epoch", String(Int(channel.created))), ("name", channel.name), ("state", "CS_EXECUTE"),
                ("cid_name", "Outbound Call"), ("cid_num", channel.callerIDNumber), ("ip_addr", ""), ("dest", channel.number),
                ("application", "txfax"), ("application_data", channel.faxFile), ("dialplan", "xml"), ("context", "default"),
                ("read_codec", "L16"), ("read_rate", "8000"), ("read_bit_rate", "128000"), ("write_codec", "L16"),
                ("write_rate", "8000"), ("write_bit_rate", "128000"), ("secure", ""), ("hostname", "vm"), ("presence_id", ""),
                ("presence_data", ""), ("accountcode", ""), ("callstate", "ACTIVE"), ("callee_name", ""), ("callee_num", ""),
                ("callee_direction", ""), ("call_uuid", channel.uuid), ("sent_callee_name", ""), ("sent_callee_num", ""),
                ("initial_cid_name", "Outbound Call"), ("initial_cid_num", channel.callerIDNumber), ("initial_ip_addr", ""),
                ("initial_dest", channel.number), ("initial_dialplan", "xml"), ("initial_context", "default"),
            ]
            return "{" + fields.map { "\"\($0.0)\":\"\(jsonEscaped($0.1))\"" }.joined(separator: ",") + "}"
        }
        return "{\"row_count\":\(channels.count),\"rows\":[" + rows.joined(separator: ",") + "]}\n"
    }

    static func channelsCSV(_ channels: [SimulatedChannel]) -> String {
        var text = "uuid,direction,created,created_epoch,name,state,dest,application,application_data\n"
        for channel in channels {
            text += "\(channel.uuid),outbound,,\(Int(channel.created)),\(channel.name),CS_EXECUTE,\(channel.number),txfax,\(channel.faxFile)\n"
        }
        return text + "\n\(channels.count) total.\n"
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
