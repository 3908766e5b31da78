import FaxTransports

/// The persistent PBX sessions, for the metrics gauges.
public struct TelephonySessions: Sendable {
    var asterisk: AsteriskTransport?

    /// Whether the Asterisk AMI session is logged in.
    public var amiConnected: Bool { asterisk?.sessionConnected ?? false }
}
