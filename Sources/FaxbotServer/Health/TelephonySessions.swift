import FaxTransports

/// The persistent PBX sessions (AMI, ESL), for the metrics gauges and tests.
public struct TelephonySessions: Sendable {
    var asterisk: AsteriskTransport?
    var freeswitch: FreeSWITCHTransport?

    /// Whether the Asterisk AMI session is logged in.
    public var amiConnected: Bool { asterisk?.sessionConnected ?? false }

    /// Whether the FreeSWITCH ESL session is authenticated.
    public var eslConnected: Bool { freeswitch?.sessionConnected ?? false }
}
