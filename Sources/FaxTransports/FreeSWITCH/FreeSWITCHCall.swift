import FaxbotCore

/// What the transport knows about one outbound call it placed (or adopted after a restart).
struct FreeSWITCHCall: Sendable {
    var ref: AttemptRef
    var names: FreeSWITCHCallNames
    /// `BACKGROUND_JOB +OK` or `CHANNEL_ANSWER` arrived: the far end answered.
    var answered = false
    /// `CHANNEL_HANGUP_COMPLETE` arrived before the call's outcome was known: its cause.
    var hangupCause: String?
    var cancelRequested = false
    var timer: Task<Void, Never>?

    init(ref: AttemptRef, names: FreeSWITCHCallNames, answered: Bool = false) {
        self.ref = ref
        self.names = names
        self.answered = answered
    }
}
