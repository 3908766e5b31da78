/// Bounds on the conversion worker processes.
public struct ConversionLimits: Sendable, Equatable {
    /// Wall time one document may take before its worker is killed.
    public var wallTime: Duration
    /// Address space one worker may map (RLIMIT_AS).
    public var memoryBytes: Int
    /// Workers running at once; further documents wait their turn.
    public var concurrentWorkers: Int

    public init(wallTime: Duration = .seconds(60), memoryBytes: Int = 512 << 20, concurrentWorkers: Int = 2) {
        self.wallTime = wallTime
        self.memoryBytes = memoryBytes
        self.concurrentWorkers = max(1, concurrentWorkers)
    }

    var wallSeconds: Int { Int(wallTime.components.seconds) }
}
