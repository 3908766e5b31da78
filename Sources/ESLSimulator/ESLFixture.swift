import Foundation
import FreeSWITCHESL

/// The real ESL byte streams recorded from FreeSWITCH 1.10.12 + mod_spandsp (LF framing,
/// `Content-Length`, URL-encoded event values, exactly as on the wire). Each holds the greeting,
/// the `auth`/`event plain` replies, one `bgapi originate` reply, the call's events, `+OK bye`
/// and the disconnect notice.
public enum ESLFixture: String, CaseIterable, Sendable {
    /// 2 pages at V.17 14400 with ECM; tx and rx results `fax-success: 1`.
    case success2Pages = "esl-fax-success-2pages"
    /// Far end `hangup USER_BUSY`: both legs hang up USER_BUSY, then BACKGROUND_JOB `-ERR USER_BUSY`.
    case busyUserBusy = "esl-busy-user-busy"
    /// Far end `respond 486` on a loopback leg: `-ERR NORMAL_CLEARING`.
    case busyRespond486 = "esl-busy-respond-486"
    /// `originate_timeout=15` expires: BACKGROUND_JOB `-ERR NO_ANSWER` first, then both hangups.
    case noAnswer = "esl-no-answer"
    /// The receiver hangs up during page 2: `fax-success: 0`, code 49, 1 page.
    case receiverHangupMidFax = "esl-receiver-hangup-mid-fax"
    /// The receiver hangs up in phase B: code 49, 0 pages.
    case receiverHangupBeforePage1 = "esl-receiver-hangup-before-page1"

    /// The fixture's bytes.
    public var bytes: [UInt8] { Self.byteCache[self] ?? [] }

    /// The fixture decoded into outer frames.
    public var frames: [ESLFrame] { Self.frameCache[self] ?? [] }

    /// The events of the fixture, in order.
    public var events: [ESLEvent] {
        frames.compactMap { frame in
            guard case .event(let event)? = try? ESLMessage(frame) else { return nil }
            return event
        }
    }

    private static let byteCache: [ESLFixture: [UInt8]] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, load($0)) }
    )

    private static let frameCache: [ESLFixture: [ESLFrame]] = Dictionary(
        uniqueKeysWithValues: allCases.map { fixture in
            var decoder = ESLDecoder()
            decoder.append(fixture.bytes)
            var frames: [ESLFrame] = []
            while let frame = try? decoder.next() { frames.append(frame) }
            return (fixture, frames)
        }
    )

    private static func load(_ fixture: ESLFixture) -> [UInt8] {
        guard
            let url = Bundle.module.url(forResource: fixture.rawValue, withExtension: "raw", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else {
            preconditionFailure("ESLSimulator resource Fixtures/\(fixture.rawValue).raw is missing")
        }
        return [UInt8](data)
    }
}
