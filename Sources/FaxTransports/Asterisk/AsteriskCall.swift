import FaxbotCore

/// What the transport knows about one outbound call it placed (or adopted after a restart).
struct AsteriskCall: Sendable {
    var ref: AttemptRef
    var names: AsteriskCallNames
    /// The channel's name (`PJSIP/trunk-00000001`), needed to hang it up; learnt from `Newchannel`.
    var channelName: String?
    /// `OriginateResponse` said the far end answered.
    var answered = false
    /// `Hangup` arrived before the call was answered: its Q.850 cause.
    var hangupCause: String?
    var cancelRequested = false
    /// The call's own overall timer.
    var timer: Task<Void, Never>?

    init(ref: AttemptRef, names: AsteriskCallNames, channelName: String? = nil, answered: Bool = false) {
        self.ref = ref
        self.names = names
        self.channelName = channelName
        self.answered = answered
    }

    /// The attempt a channel id names (`fbtx-<job>-<attempt>`), for results of calls this run
    /// does not track.
    static func ref(channelID: String) -> AttemptRef? {
        let parts = channelID.split(separator: "-")
        guard parts.count == 3, parts[0] == "fbtx", JobID.isValid(String(parts[1])), let attempt = Int(parts[2]) else { return nil }
        return AttemptRef(jobID: String(parts[1]), attempt: attempt, providerSid: channelID)
    }
}
