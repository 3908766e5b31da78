import AsteriskAMI
import FaxTransports
import FaxbotCore
import FreeSWITCHESL
import Logging

/// The AMI session and the transport on it, as `buildApplication` runs them.
func makeAsteriskTransport(
    _ config: FaxbotConfig, clock: any WallClock, jitter: @escaping @Sendable () -> Double
) throws(StartupError) -> (AMIConnection, AsteriskTransport) {
    let table = try ProviderStatusMap.asterisk(config)
    var session = AMIConfiguration(
        host: config.asterisk.host, port: config.asterisk.port, username: config.asterisk.username, secret: config.asterisk.secret)
    session.auth = AMIAuth(rawValue: config.asterisk.auth) ?? .md5
    // Asterisk back from a restart is found again within 2 s; a rejected login is retried
    // slowly (each try shows in Asterisk's security log).
    session.reconnectMax = .seconds(2)
    session.authenticationRetry = .seconds(30)
    let connection = AMIConnection(configuration: session, logger: Logger(label: "faxbot.ami"), jitter: jitter)
    let transport = AsteriskTransport(
        settings: config.asterisk, connection: connection, table: table, clock: clock, logger: Logger(label: "faxbot.transport.sip"))
    return (connection, transport)
}

/// The ESL session and the transport on it.
func makeFreeSWITCHTransport(
    _ config: FaxbotConfig, clock: any WallClock, jitter: @escaping @Sendable () -> Double
) throws(StartupError) -> (ESLConnection, FreeSWITCHTransport) {
    let table = try ProviderStatusMap.freeswitch(config)
    let session = ESLConfiguration(host: config.freeswitch.host, port: config.freeswitch.port, password: config.freeswitch.password)
    let connection = ESLConnection(configuration: session, logger: Logger(label: "faxbot.esl"), jitter: jitter)
    let transport = FreeSWITCHTransport(
        settings: config.freeswitch, connection: connection, table: table, clock: clock, logger: Logger(label: "faxbot.transport.freeswitch"))
    return (connection, transport)
}
