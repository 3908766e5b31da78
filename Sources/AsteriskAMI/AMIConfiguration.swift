import NIOCore
import NIOPosix

/// Settings for an ``AMIConnection``.
public struct AMIConfiguration: Sendable {
    /// Asterisk's host name or address.
    public var host: String
    /// The AMI port (Asterisk's default is 5038).
    public var port: Int
    /// The manager.conf user.
    public var username: String
    /// The manager.conf secret. Never logged.
    public var secret: String
    /// Login method; MD5 keeps the secret off the wire.
    public var auth: AMIAuth = .md5
    /// Default time to wait for an action's response (also for the banner and each login step).
    public var actionTimeout: Duration = .seconds(10)
    /// A `Ping` is sent when nothing was received for this long; no reply within
    /// ``actionTimeout`` drops the session and reconnects.
    public var pingInterval: Duration = .seconds(15)
    /// TCP connect timeout.
    public var connectTimeout: Duration = .seconds(5)
    /// First reconnect delay (jittered down to half of it); doubles per failed attempt.
    public var reconnectMin: Duration = .milliseconds(250)
    /// Upper bound of the reconnect delay.
    public var reconnectMax: Duration = .seconds(30)
    /// The retry pace after an authentication failure (jittered down to half of it); nil: `reconnectMax`.
    public var authenticationRetry: Duration?
    /// Per-subscriber buffer of undelivered events; beyond it events are dropped and counted.
    public var subscriberBufferLimit: Int = 10_000
    /// Largest accepted packet; a larger one drops the session.
    public var maxMessageBytes: Int = 1 << 20
    /// The event loop group for the socket.
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// Creates a configuration with the defaults above.
    public init(host: String, port: Int, username: String, secret: String) {
        self.host = host
        self.port = port
        self.username = username
        self.secret = secret
    }
}
