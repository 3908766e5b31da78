import CSpanDSP
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the 20 ms tick loop shared by the audio and T.38 loopbacks until both endpoints reach
/// phase E, and guarantees termination: at the simulated time limit, or on cancellation, it
/// calls `t30_terminate` on both sides; a hard cap on ticks ends the loop regardless.
struct LoopbackDriver {
    /// Samples per tick at 8 kHz: 20 ms.
    static let samplesPerTick: Int32 = 160
    /// Simulated seconds per tick.
    static let secondsPerTick = 0.02

    let call: FaxLoopback
    let sender: T30Endpoint
    let receiver: T30Endpoint
    let cancellation: LoopbackCancellation?

    /// Outcome of the loop: simulated time and whether the time limit (or cancellation) ended the call.
    struct Outcome {
        var simulatedSeconds: Double
        var timedOut: Bool
        var cpuTime: Duration
    }

    /// Calls `tick` (which must advance both endpoints by ``samplesPerTick``) until the call ends.
    func run(tick: () -> Void) -> Outcome {
        let limitTicks = call.timeLimitTicks
        let cap = call.maximumTicks
        let cpuStart = Self.threadCPUTime()
        var ticks = 0
        var timedOut = false
        while ticks < cap {
            if sender.completion != nil && receiver.completion != nil { break }
            if !timedOut && (ticks >= limitTicks || cancellation?.isCancelled == true) {
                timedOut = true
                sender.terminate()
                receiver.terminate()
                continue
            }
            tick()
            ticks += 1
        }
        return Outcome(simulatedSeconds: Double(ticks * 20) / 1000, timedOut: timedOut, cpuTime: Self.threadCPUTime() - cpuStart)
    }

    /// CPU time consumed so far by the calling thread.
    private static func threadCPUTime() -> Duration {
        var now = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) == 0 else { return .zero }
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }

    /// Builds the public result from both endpoints' phase E reports.
    func result(_ outcome: Outcome) -> LoopbackResult {
        let tx = sender.statistics
        let rx = receiver.statistics
        let sent = Int(tx.pages_tx)
        let encoding = sent > 0 && tx.encoding > 0 ? t4_encoding_to_str(tx.encoding).map { String(cString: $0) } : nil
        return LoopbackResult(
            mode: call.mode,
            ecm: call.ecm,
            transmitter: sender.completionOrDropped,
            receiver: receiver.completionOrDropped,
            pagesSent: sent,
            pagesReceived: Int(rx.pages_rx),
            pagesInFile: tx.pages_in_file > 0 ? Int(tx.pages_in_file) : nil,
            bitRate: sent > 0 ? Int(tx.bit_rate) : 0,
            ecmUsed: sent > 0 && tx.error_correcting_mode != 0,
            encoding: encoding,
            simulatedSeconds: outcome.simulatedSeconds,
            cpuTime: outcome.cpuTime,
            timedOut: outcome.timedOut
        )
    }
}

/// A thread-safe flag that asks a running loopback to hang up (set when the awaiting task is cancelled).
final class LoopbackCancellation: Sendable {
    private let flag = Atomic(false)

    var isCancelled: Bool {
        flag.load(ordering: .relaxed)
    }

    func cancel() {
        flag.store(true, ordering: .relaxed)
    }
}
