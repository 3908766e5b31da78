import NIOCore
import NIOPosix

/// Settings for an ``ESLConnection``.
public struct ESLConfiguration: Sendable {
    /// The events the Faxbot contract subscribes to (`event plain …`).
    public static let contractEvents: [String] = [
        "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE", "BACKGROUND_JOB", "CUSTOM", "spandsp::txfaxresult", "spandsp::rxfaxresult",
        "spandsp::txfaxpageresult", "spandsp::rxfaxpageresult",
    ]

    /// FreeSWITCH's host name or address.
    public var host: String
    /// The event socket port (FreeSWITCH's default is 8021).
    public var port: Int
    /// The event_socket.conf password. Never logged.
    public var password: String
    /// The words after `event plain`: event names, then `CUSTOM` followed by subclasses.
    public var events: [String] = ESLConfiguration.contractEvents
    /// Default time to wait for a command's reply (also for the greeting and each login step).
    public var commandTimeout: Duration = .seconds(10)
    /// `api status` is sent when nothing was received for this long; no reply within
    /// ``commandTimeout`` drops the session and reconnects.
    public var pingInterval: Duration = .seconds(15)
    /// TCP connect timeout.
    public var connectTimeout: Duration = .seconds(5)
    /// First reconnect delay (jittered down to half of it); doubles per failed attempt.
    public var reconnectMin: Duration = .milliseconds(250)
    /// Upper bound of the reconnect delay.
    public var reconnectMax: Duration = .seconds(2)
    /// The retry pace after `-ERR invalid` to `auth` (jittered down to half of it).
    public var authenticationRetry: Duration = .seconds(30)
    /// Per-subscriber buffer of undelivered events; beyond it events are dropped and counted.
    public var subscriberBufferLimit: Int = 10_000
    /// Largest accepted header block or body; a larger frame drops the session.
    public var maxFrameBytes: Int = 4 << 20
    /// The event loop group for the socket.
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// Creates a configuration with the defaults above.
    public init(host: String, port: Int = 8021, password: String) {
        self.host = host
        self.port = port
        self.password = password
    }
}
