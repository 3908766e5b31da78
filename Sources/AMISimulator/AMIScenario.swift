/// What a simulated call does after `Originate`; chosen by the dialled number.
public indirect enum AMIScenario: Sendable, Hashable {
    /// Replays ami-fax-success-2pages: FaxbotResult SUCCESS, 2 pages.
    case success2Pages
    /// Replays ami-fax-receiver-hangup: FAILED, "The call dropped prematurely".
    case receiverHangup
    /// Replays ami-fax-silent-receiver: FAILED, "Timed out waiting for initial communication".
    case silentReceiver
    /// Replays ami-fax-missing-file: FAILED, FILE_ERROR (no SendFAX event).
    case missingFile
    /// Newchannel, Hangup cause 17, then OriginateResponse Failure Reason 5.
    case busy
    /// Newchannel, Hangup cause 19, then OriginateResponse Failure Reason 3.
    case noAnswer
    /// Newchannel, Hangup cause 34, then OriginateResponse Failure Reason 8.
    case congestion
    /// Newchannel, Hangup cause 0, then OriginateResponse Failure Reason 0.
    case failed
    /// Answers (the success stream up to its OriginateResponse Success Reason 4), then waits for
    /// ``AMISimulator/release(channelID:)`` before playing the rest of the success stream.
    case hold
    /// Like ``hold`` for another fixture scenario: waits after that stream's OriginateResponse.
    /// (For `.missingFile` the OriginateResponse comes late, after the result, as on real Asterisk.)
    case holdThen(AMIScenario)

    var fixture: AMIFixture? {
        switch self {
        case .success2Pages, .hold: return .success2Pages
        case .receiverHangup: return .receiverHangup
        case .silentReceiver: return .silentReceiver
        case .missingFile: return .missingFile
        case .busy, .noAnswer, .congestion, .failed: return nil
        case .holdThen(let inner): return inner.fixture
        }
    }

    var holdsAfterAnswer: Bool {
        switch self {
        case .hold, .holdThen: return true
        default: return false
        }
    }

    /// Reason, cause and cause text of the synthetic failures.
    var failure: (reason: Int, cause: Int, causeText: String)? {
        switch self {
        case .busy: return (5, 17, "User busy")
        case .noAnswer: return (3, 19, "User alerting, no answer")
        case .congestion: return (8, 34, "Circuit/channel congestion")
        case .failed: return (0, 0, "Unknown")
        case .holdThen(let inner): return inner.failure
        default: return nil
        }
    }
}
