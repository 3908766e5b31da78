import FaxbotCore

/// Who is calling, and what they may do.
public struct Principal: Sendable, Equatable {
    /// `env` for the bootstrap key, `anonymous` in open loopback development mode, else the key id.
    public var id: String
    public var scopes: Set<Scope>

    public static let bootstrap = Principal(id: "env", scopes: Set(Scope.allCases))
    public static let anonymous = Principal(id: "anonymous", scopes: Set(Scope.allCases))
}
