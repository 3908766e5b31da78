import FreeSWITCHESL
import NIOCore
import Synchronization

extension ESLSimulator {
    /// Starts emitting unrelated channel events (alternating CHANNEL_ANSWER and
    /// CHANNEL_HANGUP_COMPLETE of other calls, each with a `Flood-Sequence` header) at
    /// `eventsPerSecond`, in batches every ~10 ms, to the clients subscribed to those names.
    /// Replaces a running flood.
    public func startFlood(eventsPerSecond: Int) {
        let rate = max(1, eventsPerSecond)
        let task = Task { [self] in
            let clock = ContinuousClock()
            let start = clock.now
            var sent = 0
            var tick = 0
            while !Task.isCancelled {
                tick += 1
                try? await clock.sleep(until: start + .milliseconds(10 * tick))
                if Task.isCancelled { return }
                let elapsed = clock.now - start
                let due = Int(Double(rate) * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
                guard due > sent else { continue }
                let count = min(due - sent, max(rate / 10, 1_000))
                var answers: [UInt8] = []
                var hangups: [UInt8] = []
                answers.reserveCapacity(count / 2 * 700)
                hangups.reserveCapacity(count / 2 * 700)
                var both: [UInt8] = []
                both.reserveCapacity(count * 700)
                for number in sent..<(sent + count) {
                    let frame = Self.floodFrame(number)
                    both.append(contentsOf: frame)
                    if number % 2 == 0 { answers.append(contentsOf: frame) } else { hangups.append(contentsOf: frame) }
                }
                sent += count
                state.withLock { state in
                    state.floodEventCount += count
                    guard !state.frozen else { return }
                    for id in state.connections.keys.sorted() {
                        guard let connection = state.connections[id], connection.authenticated, let events = connection.events else { continue }
                        let answer = events.wants(name: "CHANNEL_ANSWER", subclass: nil)
                        let hangup = events.wants(name: "CHANNEL_HANGUP_COMPLETE", subclass: nil)
                        if answer && hangup {
                            state.write(both, to: id)
                        } else if answer {
                            state.write(answers, to: id)
                        } else if hangup {
                            state.write(hangups, to: id)
                        }
                    }
                }
            }
        }
        let previous: Task<Void, Never>? = state.withLock { state in
            let previous = state.flood
            state.flood = task
            return previous
        }
        previous?.cancel()
    }

    /// Stops the flood.
    public func stopFlood() {
        let task: Task<Void, Never>? = state.withLock { state in
            let task = state.flood
            state.flood = nil
            return task
        }
        task?.cancel()
    }

    static func floodFrame(_ number: Int) -> [UInt8] {
        let hex = String(number % 100_000, radix: 16)
        let uuid = "f100d000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
        let answer = number % 2 == 0
        var text = "Event-Name: \(answer ? "CHANNEL_ANSWER" : "CHANNEL_HANGUP_COMPLETE")\n"
        text += "Core-UUID: 0017d0a6-64d1-4273-9c5b-e1860a89f4a7\nFreeSWITCH-Hostname: vm\nFreeSWITCH-Switchname: vm\n"
        text += "FreeSWITCH-IPv4: 192.0.2.2\nFreeSWITCH-IPv6: fd00%3A%3A2\nEvent-Date-Local: 2026-11-29%2022%3A21%3A36\n"
        text += "Event-Date-Timestamp: 1795990896162569\nEvent-Calling-File: switch_channel.c\nEvent-Sequence: \(number)\n"
        text += "Flood-Sequence: \(number)\nChannel-State: CS_EXECUTE\nChannel-Name: sofia/external/15557654321\n"
        text += "Unique-ID: \(uuid)\nCall-Direction: inbound\nAnswer-State: \(answer ? "answered" : "hangup")\n"
        if !answer { text += "Hangup-Cause: NORMAL_CLEARING\n" }
        text += "Caller-Caller-ID-Number: 15557654321\nCaller-Destination-Number: 15551230000\nCaller-Context: public\n"
        text += "variable_uuid: \(uuid)\n\n"
        let body = Array(text.utf8)
        return Array("Content-Length: \(body.count)\nContent-Type: text/event-plain\n\n".utf8) + body
    }
}
