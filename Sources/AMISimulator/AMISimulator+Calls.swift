import AsteriskAMI
import Foundation
import Synchronization

extension AMISimulator {
    /// `Action: Originate`: queue the call, reply, then play its scenario.
    func originate(_ message: AMIMessage, reply: Reply, state: inout SimulatorState) {
        state.originateCount += 1
        state.callSequence += 1
        let fallbackID = "\(Int(Date().timeIntervalSince1970)).\(state.callSequence)"
        let request = OriginateRequest(message, fallbackID: fallbackID)
        guard !request.dialString.isEmpty else { return reply.error("Channel not specified", &state) }
        guard state.calls[request.channelID] == nil else { return reply.error("Originate failed", &state) }
        reply.send([AMIField("Response", "Success")], [AMIField("Message", "Originate successfully queued")], &state)

        let scenario = state.scenarios[request.number] ?? state.defaultScenario
        let names = request.channelNames(sequence: state.callSequence)
        let steps: [ScenarioStep]
        if let fixture = scenario.fixture, let stream = FixtureStream.all[fixture] {
            steps = stream.steps(
                for: request,
                names: names,
                holdAfterAnswer: scenario.holdsAfterAnswer,
                pauseBeforeResult: state.pauseBeforeResult
            )
        } else if let failure = scenario.failure {
            steps = SyntheticStream.failure(
                for: request,
                channel: names.tx,
                reason: failure.reason,
                cause: failure.cause,
                causeText: failure.causeText,
                pauseBeforeResult: state.pauseBeforeResult
            )
        } else {
            steps = []
        }
        state.generation += 1
        var call = SimulatedCall(id: request.channelID, generation: state.generation, request: request, scenario: scenario, names: names)
        let interval = state.eventInterval
        call.task = Task { [self, generation = state.generation] in
            await play(steps, callID: request.channelID, generation: generation, interval: interval)
        }
        state.calls[request.channelID] = call
    }

    /// `Action: Hangup`: ends the call owning the channel, as the dialplan's `h` extension would.
    func hangup(_ message: AMIMessage, reply: Reply, state: inout SimulatorState) {
        guard let name = message["Channel"], let channel = state.channels[name] else {
            return reply.error("No such channel", &state)
        }
        reply.send([AMIField("Response", "Success")], [AMIField("Message", "Channel Hungup")], &state)
        guard var call = state.calls.removeValue(forKey: channel.callID) else {
            state.emit(SyntheticStream.hangup(channel, cause: 16, causeText: "Normal Clearing"), callID: channel.callID)
            return
        }
        call.task?.cancel()
        if let waiter = call.waiter {
            call.waiter = nil
            waiter.resume()
        }
        let channels = state.channels.values.filter { $0.callID == call.id }.sorted { $0.order < $1.order }
        let tx = channels.first { $0.uniqueID == call.id } ?? channels.first
        var events: [AMIMessage] = []
        if call.scenario.fixture != nil, !call.resultReported, let tx {
            let (result, database) = SyntheticStream.droppedResult(call.request, channel: tx)
            state.database["faxbot", default: [:]][call.id] = database
            events.append(result)
        }
        for channel in channels {
            events.append(SyntheticStream.hangup(channel, cause: 16, causeText: "Normal Clearing"))
        }
        if !call.answered {
            if call.scenario.fixture != nil {
                events.append(SyntheticStream.originateSuccess(call.request, channel: tx?.name ?? call.names.tx))
            } else {
                events.append(SyntheticStream.originateFailure(call.request, reason: 1))
            }
        }
        for event in events { state.emit(event, callID: call.id) }
    }

    private func play(_ steps: [ScenarioStep], callID: String, generation: Int, interval: Duration) async {
        for (index, step) in steps.enumerated() {
            if interval > .zero {
                try? await Task.sleep(for: interval)
            } else if index % 32 == 31 {
                await Task.yield()
            }
            if Task.isCancelled { return }
            switch step {
            case .pause:
                await waitForRelease(callID: callID, generation: generation)
            case .event(let event):
                let live = state.withLock { state in
                    guard state.calls[callID]?.generation == generation else { return false }
                    state.emit(event, callID: callID)
                    return true
                }
                if !live { return }
            case .result(let event, let database):
                let live = state.withLock { state in
                    guard state.calls[callID]?.generation == generation else { return false }
                    state.database["faxbot", default: [:]][callID] = database
                    state.calls[callID]?.resultReported = true
                    state.emit(event, callID: callID)
                    return true
                }
                if !live { return }
            }
        }
        state.withLock { state in
            if state.calls[callID]?.generation == generation { state.calls[callID] = nil }
        }
    }

    private func waitForRelease(callID: String, generation: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = state.withLock { state in
                guard var call = state.calls[callID], call.generation == generation else { return true }
                if call.releases > 0 {
                    call.releases -= 1
                    state.calls[callID] = call
                    return true
                }
                call.waiter = continuation
                state.calls[callID] = call
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
