import FaxbotCore
import Foundation

/// Settings of the Asterisk transport (`FAX_BACKEND=sip`), `asterisk.*` in faxbot.yaml.
public struct AsteriskSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 5038
    public var username = "faxbot"
    public var secret = ""
    /// `md5` (challenge–response, the secret never crosses the wire) or `plain`.
    public var auth = "md5"
    /// The dialplan context that runs SendFAX once the far end answers.
    public var context = "faxbot-tx"
    /// Routes, longest prefix first wins; the default route has an empty prefix.
    public var routes: [DialRoute] = [DialRoute(dialTemplate: "PJSIP/{number}@faxbot-trunk")]
    /// The local station id (TSI) and the CallerID number.
    public var stationID = ""
    /// The CallerID name.
    public var callerName = "Faxbot"
    /// The page header line when a job has none.
    public var header = ""
    public var ecm = true
    /// How long the far end may ring before the call counts as not answered.
    public var ringTimeout: TimeInterval = 60
    /// The longest a call may last once answered (the dialplan's `TIMEOUT(absolute)`).
    public var callLimit: TimeInterval = 900
    /// How long after the call limit the daemon gives up on a call that sent no result, hangs it
    /// up and reconciles it: a silent peer never holds a job forever.
    public var resultGrace: TimeInterval = 60
    /// A directory the asterisk user can read (e.g. `/var/spool/faxbot/outbound`, setgid, group
    /// shared with asterisk): each attempt's TIFF is copied there as `<ChannelId>.tif`, mode 0640,
    /// and removed when the attempt ends. Empty: Asterisk is handed the daemon's own spool file.
    public var outboundDirectory = ""

    public init() {}

    /// The route for a destination: the longest matching prefix.
    public func route(for number: PhoneNumber) -> DialRoute? {
        routes.filter { number.digits.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }
    }

    /// Every call's own deadline, from the Originate on.
    public var overallCallTimer: TimeInterval { ringTimeout + callLimit + resultGrace }
}
