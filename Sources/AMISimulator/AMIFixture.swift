import AsteriskAMI
import Foundation

/// The real AMI byte streams recorded from Asterisk 22 (CRLF, exactly as on the wire).
public enum AMIFixture: String, CaseIterable, Sendable {
    /// 2-page fax, V.17 14400, ECM, both sides SUCCESS.
    case success2Pages = "ami-fax-success-2pages"
    /// The receiver hangs up after 3 s: FAILED, "The call dropped prematurely".
    case receiverHangup = "ami-fax-receiver-hangup"
    /// The receiver answers with silence: FAILED after 60 s, "Timed out waiting for initial communication".
    case silentReceiver = "ami-fax-silent-receiver"
    /// The sender's TIFF does not exist: FAILED, FILE_ERROR.
    case missingFile = "ami-fax-missing-file"

    /// The fixture's bytes.
    public var bytes: [UInt8] { Self.byteCache[self] ?? [] }

    /// The fixture decoded into frames (banner first).
    public var frames: [AMIFrame] { Self.frameCache[self] ?? [] }

    private static let byteCache: [AMIFixture: [UInt8]] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, load($0)) }
    )

    private static let frameCache: [AMIFixture: [AMIFrame]] = Dictionary(
        uniqueKeysWithValues: allCases.map { fixture in
            var decoder = AMIDecoder()
            decoder.append(fixture.bytes)
            var frames: [AMIFrame] = []
            while let frame = try? decoder.next() { frames.append(frame) }
            return (fixture, frames)
        }
    )

    private static func load(_ fixture: AMIFixture) -> [UInt8] {
        guard
            let url = Bundle.module.url(forResource: fixture.rawValue, withExtension: "raw", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else {
            preconditionFailure("AMISimulator resource Fixtures/\(fixture.rawValue).raw is missing")
        }
        return [UInt8](data)
    }
}
