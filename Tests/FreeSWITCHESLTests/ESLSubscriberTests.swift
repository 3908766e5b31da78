import ESLSimulator
import FreeSWITCHESL
import Logging
import Testing

extension ESLTests {
    @Suite("Subscribers", .serialized)
    struct ESLSubscriberTests {
        @Test("a slow subscriber overflows with a bounded buffer while a filtered subscriber gets every match")
        func slowSubscriberUnderFlood() async throws {
            try await withSession(SessionSettings(subscriberBufferLimit: 1_000, logFilter: { _ in false })) { connection, _, simulator in
                let slow = connection.subscribe()
                let results = EventLog(connection.subscribe { $0.subclass == "spandsp::txfaxresult" })
                simulator.startFlood(eventsPerSecond: 50_000)
                for index in 0..<300 {
                    simulator.emit(headers: ["Event-Subclass": "spandsp::txfaxresult", "Event-Name": "CUSTOM", "Seq": "\(index)"])
                    if index % 50 == 49 { try await Task.sleep(for: .milliseconds(10)) }
                }
                try await eventually("flood volume", timeout: .seconds(20)) { simulator.floodEventCount >= 10_000 }
                let probes = try await results.wait("all probes", timeout: .seconds(20)) { items in
                    items.count >= 300 || items.contains { if case .overflow = $0 { true } else { false } } ? items : nil
                }
                simulator.stopFlood()
                #expect(probes.count == 300)
                let sequence = probes.compactMap { item -> Int? in
                    if case .event(let event) = item { return event["Seq"].flatMap { Int($0) } }
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
            let settings = SessionSettings(subscriberBufferLimit: 10, logFilter: { $0.jobUUID == "last" })
            try await withSession(settings) { connection, log, simulator in
                let slow = connection.subscribe { $0.name == "BACKGROUND_JOB" }
                for index in 0..<50 { simulator.emit(headers: ["Event-Name": "BACKGROUND_JOB", "Job-UUID": "noise-\(index)"]) }
                simulator.emit(headers: ["Event-Name": "BACKGROUND_JOB", "Job-UUID": "last"])
                _ = try await log.event("last") { $0.jobUUID == "last" }
                await simulator.dropConnections()
                try await log.connected(2)
                var items: [ESLSessionEvent] = []
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

        @Test("only subscribed events arrive, as FreeSWITCH filters by name and CUSTOM subclass")
        func subscriptionFilter() async throws {
            let settings = SessionSettings(events: ["BACKGROUND_JOB", "CUSTOM", "spandsp::txfaxresult"])
            try await withSession(settings) { _, log, simulator in
                simulator.emit(headers: ["Event-Name": "CHANNEL_ANSWER", "Unique-ID": "a"])
                simulator.emit(headers: ["Event-Name": "CUSTOM", "Event-Subclass": "spandsp::rxfaxresult", "Unique-ID": "b"])
                simulator.emit(headers: ["Event-Name": "CUSTOM", "Event-Subclass": "spandsp::txfaxresult", "Unique-ID": "c"])
                simulator.emit(headers: ["Event-Name": "BACKGROUND_JOB", "Job-UUID": "marker"])
                _ = try await log.event("marker") { $0.jobUUID == "marker" }
                #expect(log.events.map { $0.uniqueID ?? $0.jobUUID ?? "" } == ["c", "marker"])
            }
        }

        @Test("streams finish when run() ends")
        func streamsFinish() async throws {
            let simulator = ESLSimulator()
            let port = try await simulator.start()
            let connection = ESLConnection(configuration: sessionConfiguration(port: port), logger: .init(label: "t"))
            let stream = connection.subscribe()
            let runner = Task { try await connection.run() }
            var seen: [ESLSessionEvent] = []
            for await item in stream {
                seen.append(item)
                if item == .connected { runner.cancel() }
            }
            _ = await runner.result
            #expect(seen.first == .connected)
            #expect(connection.state == .stopped)
            await #expect(throws: ESLError.shuttingDown) { try await connection.api("status") }
            await simulator.stop()
        }
    }
}
