import Foundation

/// A complete software fax call between two spandsp endpoints in one process: the caller sends
/// ``inputPath`` and the answerer writes what it receives to ``outputPath``.
///
/// Use it to prove that a TIFF-F file survives a real T.30 negotiation and transfer (and, with
/// ``TIFFPixelComparison``, arrives pixel for pixel), and to exercise failure paths.
///
/// The call runs on simulated time, advanced in 20 ms ticks as fast as the CPU allows (a fine
/// text page is about 35 s of line time for about 25 ms of CPU in audio mode). It can never hang:
/// after ``timeLimit`` of simulated time (or when the awaiting task is cancelled) both sides are
/// ended with `t30_terminate`, and ``maximumTicks`` caps the loop regardless.
///
/// ``run()`` is synchronous and CPU-bound, and every spandsp object and callback it uses is
/// confined to the calling thread. Do not call it on the Swift concurrency cooperative pool for
/// long documents; use ``runOnDedicatedThread()``, which runs it on a new `Thread`.
public struct FaxLoopback: Sendable, Hashable {
    /// How the two endpoints are connected.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Two `fax_state_t` modems exchanging 8 kHz audio in 160-sample chunks.
        case audio
        /// Two `t38_terminal_state_t` endpoints exchanging T.38 IFP packets every 20 ms.
        case t38
    }

    /// How the endpoints are connected.
    public var mode: Mode
    /// The TIFF-F file the caller sends.
    public var inputPath: String
    /// Where the answerer writes the received TIFF-F file (overwritten).
    public var outputPath: String
    /// Whether both sides offer error-correcting mode (which also enables T.6 coding).
    public var ecm: Bool
    /// The image-data modems both sides offer (audio mode; T.38 negotiates the same rates).
    public var modems: FaxModems
    /// Simulated line time after which the call is ended with `t30_terminate`.
    public var timeLimit: Duration
    /// Hard cap on 20 ms ticks; by default the time limit plus one simulated minute.
    public var maximumTicks: Int

    /// Describes a loopback call.
    ///
    /// - Parameters:
    ///   - mode: audio or T.38.
    ///   - inputPath: TIFF-F file to send.
    ///   - outputPath: file the receiver writes.
    ///   - ecm: offer error-correcting mode on both sides.
    ///   - modems: modems offered by both sides (default V.27ter, V.29 and V.17).
    ///   - timeLimit: simulated time limit (default 30 minutes).
    ///   - maximumTicks: hard cap on 20 ms ticks (default: the time limit plus 3000 ticks).
    public init(
        mode: Mode,
        inputPath: String,
        outputPath: String,
        ecm: Bool = false,
        modems: FaxModems = .standard,
        timeLimit: Duration = .seconds(30 * 60),
        maximumTicks: Int? = nil
    ) {
        self.mode = mode
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.ecm = ecm
        self.modems = modems
        self.timeLimit = timeLimit
        self.maximumTicks = maximumTicks ?? Self.ticks(in: timeLimit) + 3000
    }

    /// Runs the call to completion on the calling thread and returns both sides' results.
    ///
    /// Failures during the call (bad input file, unsupported page size, time limit) are reported
    /// as completion codes in the result, not thrown.
    ///
    /// - Throws: ``FaxLoopbackError`` only if spandsp cannot create an endpoint.
    public func run() throws(FaxLoopbackError) -> LoopbackResult {
        try run(cancellation: nil)
    }

    /// Runs ``run()`` on a new dedicated `Thread`, keeping the CPU-bound call off the cooperative
    /// pool, and resumes when it finishes. Cancelling the awaiting task hangs the call up early
    /// (the result then has ``LoopbackResult/timedOut`` set).
    public func runOnDedicatedThread() async throws(FaxLoopbackError) -> LoopbackResult {
        let call = self
        let cancellation = LoopbackCancellation()
        let result: Result<LoopbackResult, FaxLoopbackError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: Result { () throws(FaxLoopbackError) in try call.run(cancellation: cancellation) })
                }
                thread.name = "fax-loopback-\(call.mode.rawValue)"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    func run(cancellation: LoopbackCancellation?) throws(FaxLoopbackError) -> LoopbackResult {
        LibTIFFQuiet.ensureSilenced()
        switch mode {
        case .audio: return try AudioLoopbackCall.run(self, cancellation: cancellation)
        case .t38: return try T38LoopbackCall.run(self, cancellation: cancellation)
        }
    }

    /// The time limit in 20 ms ticks.
    var timeLimitTicks: Int {
        Self.ticks(in: timeLimit)
    }

    private static func ticks(in duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ticks = Double(seconds) / LoopbackDriver.secondsPerTick + Double(attoseconds) / 1e18 / LoopbackDriver.secondsPerTick
        return Int(min(max(ticks.rounded(.up), 0), Double(Int32.max)))
    }
}
