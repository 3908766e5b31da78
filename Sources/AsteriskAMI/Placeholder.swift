// TEMPORARY: signatures only, replaced by the real library.
import Logging
import ServiceLifecycle

public struct AMIField: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
public struct AMIMessage: Sendable, Equatable {
    public var fields: [AMIField]
    public var output: [String]
    public init(_ fields: [AMIField], output: [String] = []) {
        self.fields = fields
        self.output = output
    }
    public subscript(_ key: String) -> String? { fields.first { $0.key.lowercased() == key.lowercased() }?.value }
    public func values(_ key: String) -> [String] { [] }
    public var response: String? { self["Response"] }
    public var event: String? { self["Event"] }
    public var actionID: String? { self["ActionID"] }
}
public struct AMIAction: Sendable, Equatable {
    public var name: String
    public var fields: [AMIField]
    public init(_ name: String, _ fields: [AMIField] = []) {
        self.name = name
        self.fields = fields
    }
}
public struct AMIResponse: Sendable, Equatable {
    public var message: AMIMessage
    public var events: [AMIMessage]
    public var isSuccess: Bool { true }
}
public enum AMIError: Error, Sendable, Equatable {
    case notConnected(String)
    case timeout(action: String)
    case rejected(String)
    case connectionLost
    case shuttingDown
    case invalidAction(String)
}
public enum AMIAuth: String, Sendable { case plain, md5 }
public struct AMIConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var secret: String
    public var auth: AMIAuth = .md5
    public var actionTimeout: Duration = .seconds(10)
    public var pingInterval: Duration = .seconds(15)
    public var connectTimeout: Duration = .seconds(5)
    public var reconnectMin: Duration = .milliseconds(250)
    public var reconnectMax: Duration = .seconds(30)
    public var subscriberBufferLimit: Int = 10_000
    public init(host: String, port: Int, username: String, secret: String) {
        self.host = host
        self.port = port
        self.username = username
        self.secret = secret
    }
}
public enum AMISessionState: Sendable, Equatable { case connecting, connected, disconnected(String), authenticationFailed(String), stopped }
public enum AMISessionEvent: Sendable, Equatable {
    case connected
    case disconnected(String)
    case event(AMIMessage)
    case overflow(dropped: Int)
}
public final class AMIConnection: Service, Sendable {
    public init(configuration: AMIConfiguration, logger: Logger, jitter: @escaping @Sendable () -> Double = { .random(in: 0..<1) }) {}
    public func run() async throws {}
    public var state: AMISessionState { .stopped }
    public func send(_ action: AMIAction, actionID: String? = nil, timeout: Duration? = nil) async throws(AMIError) -> AMIResponse {
        throw .shuttingDown
    }
    public func subscribe(filter: @escaping @Sendable (AMIMessage) -> Bool = { _ in true }) -> AsyncStream<AMISessionEvent> {
        AsyncStream { $0.finish() }
    }
}
