import AsteriskAMI
import NIOCore
import Synchronization

extension AMISimulator {
    /// Starts emitting unrelated dialplan noise (alternating `Newexten` and `VarSet` for another
    /// channel) at `eventsPerSecond`, in batches every ~10 ms. Replaces a running flood.
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
                var text = ""
                text.reserveCapacity((due - sent) * 420)
                for number in sent..<due { text += Self.floodEvent(number) }
                let buffer = ByteBuffer(string: text)
                let count = due - sent
                sent = due
                state.withLock { state in
                    state.floodEventCount += count
                    state.broadcast(buffer)
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

    static func floodEvent(_ number: Int) -> String {
        let head =
            "Privilege: dialplan,all\r\nChannel: PJSIP/carrier-0000f100\r\nChannelState: 6\r\nChannelStateDesc: Up\r\n"
            + "CallerIDNum: 15557654321\r\nCallerIDName: Other Caller\r\nConnectedLineNum: <unknown>\r\n"
            + "ConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: from-carrier\r\nExten: s\r\n"
            + "Priority: \(number % 9 + 1)\r\nUniqueid: 1795990000.\(number % 97)\r\nLinkedid: 1795990000.0\r\n"
        if number % 2 == 0 {
            return "Event: Newexten\r\n" + head + "Extension: s\r\nApplication: Set\r\nAppData: FLOODCOUNTER=\(number)\r\n\r\n"
        }
        return "Event: VarSet\r\n" + head + "Variable: FLOODCOUNTER\r\nValue: \(number)\r\n\r\n"
    }
}
