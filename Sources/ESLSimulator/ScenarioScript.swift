import FreeSWITCHESL

/// One step of a simulated call's playback.
enum ScenarioStep: Sendable {
    /// Emit an event to subscribed clients.
    case event(ESLEvent)
    /// Wait for `release(uuid:)`.
    case pause
}

/// Builds the steps of a call.
enum ScenarioScript {
    static func steps(_ scenario: ESLScenario, call: CallIdentity, pauseBeforeResult: Bool) -> [ScenarioStep] {
        guard let recorded = FixtureCall.all[scenario.fixture] else { return [] }
        var events = recorded.events.map { recorded.retarget($0, to: call) }
        if let synthetic = scenario.synthetic {
            events = syntheticFailure(events, aLeg: call.aLeg, cause: synthetic.cause, q850: synthetic.q850)
        }
        let answered = events.contains { $0.name == "CHANNEL_ANSWER" }
        var steps: [ScenarioStep] = []
        steps.reserveCapacity(events.count + 2)
        for (index, event) in events.enumerated() {
            let isResult = event.subclass == "spandsp::txfaxresult" && event.uniqueID == call.aLeg
            if pauseBeforeResult && ((answered && isResult) || (!answered && index == 0)) { steps.append(.pause) }
            steps.append(.event(event))
            if scenario == .hold && event.name == "BACKGROUND_JOB" { steps.append(.pause) }
        }
        return steps
    }

    /// The busy stream reduced to the A leg, with another cause: a call refused before any B leg exists.
    private static func syntheticFailure(_ events: [ESLEvent], aLeg: String, cause: String, q850: Int) -> [ESLEvent] {
        events.compactMap { event in
            if event.name == "BACKGROUND_JOB" {
                var job = event
                job.body = "-ERR \(cause)\n"
                return job
            }
            guard event.uniqueID == aLeg else { return nil }
            var fields: [ESLField] = []
            for field in event.headers.fields {
                switch field.key {
                case "variable_other_loopback_leg_uuid", "variable_loopback_leg":
                    continue
                case "Hangup-Cause", "variable_hangup_cause":
                    fields.append(ESLField(field.key, cause))
                case "variable_hangup_cause_q850":
                    fields.append(ESLField(field.key, String(q850)))
                default:
                    fields.append(field)
                }
            }
            return ESLEvent(headers: ESLHeaders(fields), body: event.body)
        }
    }

    /// What `uuid_kill` makes FreeSWITCH report for an answered call: the txfaxresult of a dropped
    /// call (unless the result was sent), then CHANNEL_HANGUP_COMPLETE NORMAL_CLEARING for each leg still up.
    static func killed(call: CallIdentity, pages: Int, resultSent: Bool, bLegUp: Bool) -> [ESLEvent] {
        var events: [ESLEvent] = []
        if !resultSent, let midFax = FixtureCall.all[.receiverHangupMidFax],
            let result = midFax.events.first(where: { $0.subclass == "spandsp::txfaxresult" })
        {
            var event = midFax.retarget(result, to: call)
            event.headers["fax-document-transferred-pages"] = String(pages)
            event.headers["variable_fax_document_transferred_pages"] = String(pages)
            events.append(event)
        }
        if let success = FixtureCall.all[.success2Pages] {
            let hangups = success.events.filter { $0.name == "CHANNEL_HANGUP_COMPLETE" }
            if bLegUp, let bLeg = hangups.first(where: { $0.uniqueID == success.bLeg }) {
                events.append(success.retarget(bLeg, to: call))
            }
            if let aLeg = hangups.first(where: { $0.uniqueID == success.aLeg }) {
                events.append(success.retarget(aLeg, to: call))
            }
        }
        return events
    }
}
