import AsteriskAMI

/// Turns a recorded fixture into the event stream of one simulated call.
///
/// Drops the banner, every response and the FullyBooted/SuccessfulAuth events; substitutes the
/// fixture's ids (`fax-…` ActionID, `faxtx-…`/`faxrx-…` Uniqueids), channel names, FAXFILE path,
/// `fax-tx` context and caller id with the Originate's; and converts the tx-side
/// `UserEvent: FaxResult` into the contract's `UserEvent: FaxbotResult`.
struct FixtureStream {
    let fixture: AMIFixture
    let events: [AMIMessage]
    let actionID: String
    let txID: String
    let rxID: String
    let channelBase: String
    let faxFile: String
    let txHangupCause: String

    static let all: [AMIFixture: FixtureStream] = Dictionary(
        uniqueKeysWithValues: AMIFixture.allCases.map { ($0, FixtureStream($0)) }
    )

    private init(_ fixture: AMIFixture) {
        self.fixture = fixture
        var events: [AMIMessage] = []
        for case .message(let message) in fixture.frames {
            guard let name = message.event, name != "FullyBooted", name != "SuccessfulAuth" else { continue }
            events.append(message)
        }
        self.events = events
        let newChannels = events.filter { $0.event == "Newchannel" }
        let tx = newChannels.first { $0["Channel"]?.hasSuffix(";1") == true }
        let rx = newChannels.first { $0["Channel"]?.hasSuffix(";2") == true }
        let txID = tx?["Uniqueid"] ?? ""
        self.txID = txID
        rxID = rx?["Uniqueid"] ?? ""
        channelBase = String((tx?["Channel"] ?? "").dropLast(2))
        actionID = events.first { $0.event == "OriginateResponse" }?.actionID ?? ""
        faxFile = events.first { $0.event == "VarSet" && $0["Variable"] == "FAXFILE" }?["Value"] ?? ""
        txHangupCause = events.first { $0.event == "Hangup" && $0["Uniqueid"] == txID }?["Cause"] ?? ""
    }

    /// The steps for one call.
    func steps(
        for request: OriginateRequest,
        names: (tx: String, rx: String),
        holdAfterAnswer: Bool,
        pauseBeforeResult: Bool
    ) -> [ScenarioStep] {
        var replacements: [(String, String)] = [
            ("\(channelBase);1", names.tx), ("\(channelBase);2", names.rx),
            (txID, request.channelID), (rxID, request.otherChannelID),
        ]
        if let file = request.variables["FAXBOT_FILE"], !faxFile.isEmpty { replacements.append((faxFile, file)) }
        if let actionID = request.actionID { replacements.append((self.actionID, actionID)) }

        var steps: [ScenarioStep] = []
        steps.reserveCapacity(events.count + 2)
        for event in events {
            var message = substitute(event, replacements, request)
            if message.event == "OriginateResponse" && request.actionID == nil {
                message.fields.removeAll { $0.key == "ActionID" }
            }
            if message.event == "UserEvent" && message["UserEvent"] == "FaxResult" && message["Side"] == "tx" {
                if pauseBeforeResult { steps.append(.pause) }
                let result = Self.faxbotResult(from: message, request: request, hangupCause: txHangupCause)
                let database = "\(result["FaxStatus"] ?? ""):\(result["FaxPages"] ?? ""):\(result["FaxError"] ?? "")"
                steps.append(.result(result, database: database))
                continue
            }
            steps.append(.event(message))
            if holdAfterAnswer && message.event == "OriginateResponse" { steps.append(.pause) }
        }
        return steps
    }

    private func substitute(_ event: AMIMessage, _ replacements: [(String, String)], _ request: OriginateRequest) -> AMIMessage {
        var message = event
        for index in message.fields.indices {
            let key = message.fields[index].key
            var value = message.fields[index].value
            for (old, new) in replacements where !old.isEmpty && value.contains(old) {
                value = value.replacing(old, with: new)
            }
            if key.hasSuffix("Context") && value == "fax-tx" {
                value = request.context
            } else if (key.hasSuffix("CallerIDNum") || key.hasSuffix("ConnectedLineNum")) && value == "1000" {
                value = request.callerIDNum
            } else if (key.hasSuffix("CallerIDName") || key.hasSuffix("ConnectedLineName")) && value == "faxbot" {
                value = request.callerIDName
            }
            message.fields[index].value = value
        }
        return message
    }

    /// The contract's FaxbotResult built from the dialplan's tx FaxResult (channel fields kept).
    static func faxbotResult(from event: AMIMessage, request: OriginateRequest, hangupCause: String) -> AMIMessage {
        var fields: [AMIField] = []
        for field in event.fields {
            if field.key == "UserEvent" { break }
            fields.append(field)
        }
        fields.append(AMIField("UserEvent", "FaxbotResult"))
        fields.append(AMIField("Job", request.variables["FAXBOT_JOB"] ?? ""))
        fields.append(AMIField("Attempt", request.variables["FAXBOT_ATTEMPT"] ?? ""))
        for key in ["FaxStatus", "FaxError", "FaxStatusString", "FaxPages", "FaxBitrate", "FaxResolution", "FaxMode", "RemoteStationID"] {
            fields.append(AMIField(key, event[key] ?? ""))
        }
        fields.append(AMIField("HangupCause", hangupCause))
        return AMIMessage(fields)
    }
}
