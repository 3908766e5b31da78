import Foundation

/// The time source of everything that schedules: injected so tests never sleep and hope.
public protocol WallClock: Sendable {
    func now() -> Date
    func sleep(for seconds: TimeInterval) async throws
}

extension Date {
    /// Dates are kept at millisecond precision so they survive storage unchanged.
    public var roundedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date().roundedToMilliseconds }
    public func sleep(for seconds: TimeInterval) async throws {
        try await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
    }
}
