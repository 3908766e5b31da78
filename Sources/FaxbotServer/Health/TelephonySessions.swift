import FaxTransports

/// The persistent PBX sessions, for the metrics gauges.
struct TelephonySessions: Sendable {
    var asterisk: AsteriskTransport?

    var amiConnected: Bool { asterisk?.sessionConnected ?? false }
}
