/// One mistake in the configuration, explained in plain words.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    /// Where the bad value came from: `default`, a file path, `environment (NAME)`, or `flag`.
    public var source: String
    public var message: String

    public init(key: String, source: String, message: String) {
        self.key = key
        self.source = source
        self.message = message
    }

    public var description: String { "\(key) (from \(source)): \(message)" }
}

/// The configuration could not be used; every issue is listed.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) {
        self.issues = issues
    }

    public var description: String {
        "configuration has \(issues.count) problem(s):\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
