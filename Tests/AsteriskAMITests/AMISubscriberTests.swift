import AMISimulator
import AsteriskAMI
import Logging
import Testing

@Suite("Subscribers", .serialized)
struct AMISubscriberTests {
    @Test("a slow subscriber overflows with a bounded buffer while a filtered subscriber gets every match")
    func slowSubscriberUnderFlood() async throws {
        try await withSession(SessionSettings(subscriberBufferLimit: 1_000)) { connection, _, simulator in
            let slow = connection.subscribe()
            let userEvents = EventLog(connection.subscribe { $0.event == "UserEvent" })
            simulator.startFlood(eventsPerSecond: 50_000)
            for index in 0..<300 {
                simulator.emit(raw: "Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Probe\r\nSeq: \(index)\r\n\r\n")
                if index % 50 == 49 { try await Task.sleep(for: .milliseconds(10)) }
            }
            try await eventually("flood volume", timeout: .seconds(20)) { simulator.floodEventCount >= 10_000 }
            let probes = try await userEvents.wait("all probes", timeout: .seconds(20)) { items in
                items.count >= 300 || items.contains { if case .overflow = $0 { true } else { false } } ? items : nil
            }
            simulator.stopFlood()
            #expect(probes.count == 300)
            let sequence = probes.compactMap { item -> Int? in
                if case .event(let message) = item { return message["Seq"].flatMap { Int($0) } }
                return nil
            }
            #expect(sequence == Array(0..<300))

            var delivered = 0
            var dropped = 0
            var beforeFirstOverflow = 0
            for await item in slow {
                switch item {
                case .event:
                    delivered += 1
                    if dropped == 0 { beforeFirstOverflow += 1 }
                case .overflow(let count):
                    dropped += count
                case .connected, .disconnected:
                    break
                }
                if dropped > 0 && delivered > beforeFirstOverflow { break }
            }
            #expect(beforeFirstOverflow <= 1_000)
            #expect(dropped > 0)
        }
    }

    @Test("control items are always delivered, even to a full buffer")
    func controlItemsAlwaysDelivered() async throws {
        try await withSession(SessionSettings(subscriberBufferLimit: 10, logEvents: ["Last"])) { connection, log, simulator in
            let slow = connection.subscribe { $0.event == "Noise" || $0.event == "Last" }
            for index in 0..<50 { simulator.emit(raw: "Event: Noise\r\nSeq: \(index)\r\n\r\n") }
            simulator.emit(raw: "Event: Last\r\n\r\n")
            _ = try await log.event("last noise") { $0.event == "Last" }
            await simulator.dropConnections()
            try await log.connected(2)
            var items: [AMISessionEvent] = []
            for await item in slow {
                items.append(item)
                if item == .connected { break }
            }
            #expect(items.filter { if case .event = $0 { true } else { false } }.count == 10)
            #expect(items.contains(.overflow(dropped: 41)))
            #expect(items.contains { if case .disconnected = $0 { true } else { false } })
            #expect(items.last == .connected)
        }
    }

    @Test("streams finish when run() ends")
    func streamsFinish() async throws {
        let simulator = AMISimulator()
        let port = try await simulator.start()
        let connection = AMIConnection(configuration: sessionConfiguration(port: port), logger: .init(label: "t"))
        let stream = connection.subscribe()
        let runner = Task { try await connection.run() }
        var seen: [AMISessionEvent] = []
        for await item in stream {
            seen.append(item)
            if item == .connected { runner.cancel() }
        }
        _ = await runner.result
        #expect(seen.first == .connected)
        #expect(connection.state == .stopped)
        await #expect(throws: AMIError.shuttingDown) { try await connection.send(AMIAction("Ping")) }
        await simulator.stop()
    }
}
