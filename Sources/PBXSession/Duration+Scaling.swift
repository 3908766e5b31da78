extension Duration {
    /// The duration scaled by a factor (for backoff and jitter).
    public func scaled(by factor: Double) -> Duration {
        let nanoseconds = (Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9) * factor
        return .nanoseconds(Int64(max(0, min(nanoseconds, 9e18))))
    }

    /// Whole nanoseconds (for NIO time amounts).
    public var nanosecondCount: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
