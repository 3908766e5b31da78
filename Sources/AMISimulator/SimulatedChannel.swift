import AsteriskAMI

/// A live channel in the simulator's channel table, kept up to date from the events it emits.
struct SimulatedChannel: Sendable {
    var name: String
    var uniqueID: String
    var linkedID: String
    var state: Int
    var callerIDNum: String
    var callerIDName: String
    var connectedLineNum: String
    var connectedLineName: String
    var accountCode: String
    var context: String
    var exten: String
    var priority: String
    var application = ""
    var applicationData = ""
    var callID: String
    var order: Int
    var created: ContinuousClock.Instant = .now

    init?(newchannel event: AMIMessage, callID: String, order: Int) {
        guard let name = event["Channel"], let uniqueID = event["Uniqueid"] else { return nil }
        self.name = name
        self.uniqueID = uniqueID
        self.linkedID = event["Linkedid"] ?? uniqueID
        self.state = Int(event["ChannelState"] ?? "0") ?? 0
        self.callerIDNum = event["CallerIDNum"] ?? ""
        self.callerIDName = event["CallerIDName"] ?? ""
        self.connectedLineNum = event["ConnectedLineNum"] ?? ""
        self.connectedLineName = event["ConnectedLineName"] ?? ""
        self.accountCode = event["AccountCode"] ?? ""
        self.context = event["Context"] ?? ""
        self.exten = event["Exten"] ?? ""
        self.priority = event["Priority"] ?? "1"
        self.callID = callID
        self.order = order
    }

    /// Applies a Newstate/Newexten/NewCallerid/NewConnectedLine event for this channel.
    mutating func apply(_ event: AMIMessage) {
        if let value = event["ChannelState"], let state = Int(value) { self.state = state }
        if let value = event["CallerIDNum"] { callerIDNum = value }
        if let value = event["CallerIDName"] { callerIDName = value }
        if let value = event["ConnectedLineNum"] { connectedLineNum = value }
        if let value = event["ConnectedLineName"] { connectedLineName = value }
        if let value = event["Context"] { context = value }
        if let value = event["Exten"] { exten = value }
        if let value = event["Priority"] { priority = value }
        if event.event == "Newexten" {
            application = event["Application"] ?? ""
            applicationData = event["AppData"] ?? ""
        }
    }

    /// The standard channel fields of an event about this channel.
    func fields(context: String? = nil, exten: String? = nil, priority: String? = nil) -> [AMIField] {
        [
            AMIField("Channel", name), AMIField("ChannelState", "\(state)"),
            AMIField("ChannelStateDesc", Self.stateDescription(state)), AMIField("CallerIDNum", callerIDNum),
            AMIField("CallerIDName", callerIDName), AMIField("ConnectedLineNum", connectedLineNum),
            AMIField("ConnectedLineName", connectedLineName), AMIField("Language", "en"), AMIField("AccountCode", accountCode),
            AMIField("Context", context ?? self.context), AMIField("Exten", exten ?? self.exten),
            AMIField("Priority", priority ?? self.priority), AMIField("Uniqueid", uniqueID), AMIField("Linkedid", linkedID),
        ]
    }

    /// `HH:MM:SS` since the channel was created.
    var duration: String {
        let seconds = Int((ContinuousClock.now - created).components.seconds)
        let parts = [seconds / 3600, (seconds / 60) % 60, seconds % 60].map { String($0).leftPadded(to: 2) }
        return parts.joined(separator: ":")
    }

    var seconds: Int { Int((ContinuousClock.now - created).components.seconds) }

    static func stateDescription(_ state: Int) -> String {
        switch state {
        case 0: return "Down"
        case 1: return "Rsrvd"
        case 2: return "OffHook"
        case 3: return "Dialing"
        case 4: return "Ring"
        case 5: return "Ringing"
        case 6: return "Up"
        case 7: return "Busy"
        default: return "Unknown"
        }
    }
}
