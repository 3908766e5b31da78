import FaxbotCore
import Foundation

/// Settings of the FreeSWITCH transport (`FAX_BACKEND=freeswitch`), `freeswitch.*` in faxbot.yaml.
public struct FreeSWITCHSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8021
    public var password = ""
    /// Routes, longest prefix first wins (the same rules as the Asterisk transport); the default
    /// route has an empty prefix. Templates such as `sofia/gateway/faxbot/{number}`.
    public var routes: [DialRoute] = [DialRoute(dialTemplate: "sofia/gateway/faxbot/{number}")]
    /// The local station id (`fax_ident`) and the caller id number.
    public var stationID = ""
    /// The page header line when a job has none (`fax_header`).
    public var header = ""
    /// Offer and accept T.38 (`fax_enable_t38`, `fax_enable_t38_request`).
    public var t38 = true
    public var ecm = true
    /// How long the far end may ring (`originate_timeout`).
    public var ringTimeout: TimeInterval = 60
    /// The longest a call may last once answered.
    public var callLimit: TimeInterval = 900
    /// How long after the call limit the daemon gives up on a call that sent no result.
    public var resultGrace: TimeInterval = 60
    /// A directory the freeswitch user can read: each attempt's TIFF is copied there as
    /// `<origination uuid>.tif`, mode 0640, and removed when the attempt ends. Empty: txfax is
    /// handed the daemon's own spool file.
    public var outboundDirectory = ""

    public init() {}

    public func route(for number: PhoneNumber) -> DialRoute? {
        routes.filter { number.digits.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }
    }

    /// Every call's own deadline, from the originate on.
    public var overallCallTimer: TimeInterval { ringTimeout + callLimit + resultGrace }
}
