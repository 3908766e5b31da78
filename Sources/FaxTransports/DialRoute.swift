import FaxbotCore
import Foundation

/// One way out to the phone network: numbers starting with `prefix` are dialled through
/// `dialTemplate`, with at most `maxChannels` calls at once on that trunk.
public struct DialRoute: Sendable, Equatable {
    /// Digits (no `+`) a destination must start with; empty matches every number.
    public var prefix: String
    /// The channel to dial: `{number}` becomes the destination's digits, `{e164}` the number with
    /// its `+` (e.g. `PJSIP/{number}@trunk`, `Local/{number}@faxbot-loop/n`, `sofia/gateway/faxbot/{number}`).
    public var dialTemplate: String
    public var maxChannels: Int

    public init(prefix: String = "", dialTemplate: String, maxChannels: Int = 1) {
        self.prefix = prefix
        self.dialTemplate = dialTemplate
        self.maxChannels = maxChannels
    }

    /// The channel pool name of this route on a transport (one per trunk).
    public func poolName(transport: String) -> String { prefix.isEmpty ? transport : "\(transport):\(prefix)" }

    /// The dial string for a destination.
    public func channel(for number: PhoneNumber) -> String {
        dialTemplate.replacingOccurrences(of: "{number}", with: String(number.digits))
            .replacingOccurrences(of: "{e164}", with: "+" + number.digits)
    }
}
