import Foundation
import FreeSWITCHESL
import Synchronization

extension ESLSimulator {
    /// `bgapi originate …` (after the `+OK Job-UUID` reply): queue the call and play its scenario.
    func originate(argument: String, jobUUID: String, _ state: inout SimulatorState) {
        state.originateCount += 1
        let request = OriginateRequest(argument: argument, fallbackUUID: UUID().uuidString.lowercased())
        let scenario = state.scenarios[request.number] ?? state.defaultScenario
        let identity = CallIdentity(request: request, aLeg: request.uuid, bLeg: UUID().uuidString.lowercased(), jobUUID: jobUUID)
        guard state.calls[request.uuid] == nil, state.channels[request.uuid] == nil else {
            // FreeSWITCH refuses a second channel with the same uuid; the job fails at once.
            var headers: [ESLField] = [ESLField("Event-Name", "BACKGROUND_JOB")] + Self.coreHeaders()
            headers += [ESLField("Job-UUID", jobUUID), ESLField("Job-Command", "originate"), ESLField("Job-Command-Arg", argument)]
            state.broadcast(ESLEvent(headers: ESLHeaders(headers), body: "-ERR DESTINATION_OUT_OF_ORDER\n"))
            return
        }
        let steps = ScenarioScript.steps(scenario, call: identity, pauseBeforeResult: state.pauseBeforeResult)
        state.generation += 1
        let generation = state.generation
        var call = SimulatedCall(identity: identity, generation: generation, scenario: scenario)
        let interval = state.eventInterval
        call.task = Task { [self] in
            await play(steps, callID: request.uuid, generation: generation, interval: interval)
        }
        state.calls[request.uuid] = call
    }

    /// `uuid_kill <uuid>`: ends an answered call as FreeSWITCH would. Returns `false` when the uuid
    /// is not a live channel.
    func kill(_ uuid: String, _ state: inout SimulatorState) -> Bool {
        guard state.channels[uuid] != nil else { return false }
        guard var call = state.calls[uuid] else {
            state.channels[uuid] = nil
            return true
        }
        call.task?.cancel()
        call.task = nil
        if let waiter = call.waiter {
            call.waiter = nil
            waiter.resume()
        }
        state.calls[uuid] = call
        let events = ScenarioScript.killed(call: call.identity, pages: call.pages, resultSent: call.resultSent, bLegUp: call.bLegUp)
        for event in events { state.emit(event, callID: uuid) }
        state.calls[uuid] = nil
        state.channels[uuid] = nil
        return true
    }

    private func play(_ steps: [ScenarioStep], callID: String, generation: Int, interval: Duration) async {
        for (index, step) in steps.enumerated() {
            if interval > .zero {
                try? await Task.sleep(for: interval)
            } else if index % 8 == 7 {
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
