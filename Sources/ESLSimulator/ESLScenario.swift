/// What a simulated `bgapi originate` does, chosen by the dialled number.
public enum ESLScenario: Sendable, Equatable {
    /// Replays `esl-fax-success-2pages`: answer, BACKGROUND_JOB `+OK <uuid>`, 2 pages, txfaxresult
    /// `fax-success: 1`, both legs NORMAL_CLEARING.
    case success2Pages
    /// Replays `esl-receiver-hangup-mid-fax`: 1 page, then txfaxresult `fax-success: 0`, code 49.
    case receiverHangupMidFax
    /// Replays `esl-receiver-hangup-before-page1`: txfaxresult `fax-success: 0`, code 49, 0 pages.
    case receiverHangupBeforePage1
    /// Replays `esl-busy-user-busy`: both legs USER_BUSY, then BACKGROUND_JOB `-ERR USER_BUSY`.
    case busy
    /// Replays `esl-busy-respond-486`: NORMAL_CLEARING, BACKGROUND_JOB `-ERR NORMAL_CLEARING`.
    case busyRespond486
    /// Replays `esl-no-answer` at once (no 15 s wait): BACKGROUND_JOB `-ERR NO_ANSWER`, then the hangups.
    case noAnswer
    /// Synthetic: A-leg CHANNEL_HANGUP_COMPLETE CALL_REJECTED (q850 21), BACKGROUND_JOB `-ERR CALL_REJECTED`.
    case rejected
    /// Synthetic: A-leg CHANNEL_HANGUP_COMPLETE UNALLOCATED_NUMBER (q850 1), BACKGROUND_JOB `-ERR UNALLOCATED_NUMBER`.
    case unallocated
    /// The success stream up to the answer (both CHANNEL_ANSWERs and BACKGROUND_JOB `+OK`), then
    /// nothing until ``ESLSimulator/release(uuid:)`` plays the rest.
    case hold

    var fixture: ESLFixture {
        switch self {
        case .success2Pages, .hold: return .success2Pages
        case .receiverHangupMidFax: return .receiverHangupMidFax
        case .receiverHangupBeforePage1: return .receiverHangupBeforePage1
        case .busy, .rejected, .unallocated: return .busyUserBusy
        case .busyRespond486: return .busyRespond486
        case .noAnswer: return .noAnswer
        }
    }

    /// Cause name and Q.850 code of the synthetic failures.
    var synthetic: (cause: String, q850: Int)? {
        switch self {
        case .rejected: return ("CALL_REJECTED", 21)
        case .unallocated: return ("UNALLOCATED_NUMBER", 1)
        default: return nil
        }
    }
}
