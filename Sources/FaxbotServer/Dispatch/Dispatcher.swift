import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Claims due jobs and runs their attempts on the transports, within each transport's channel
/// limit and at most one call per destination; applies every transport report through the
/// state machine. On start it reconciles jobs left `in_progress`; on graceful shutdown it stops
/// claiming and lets calls in flight finish (up to the drain timeout).
public final class Dispatcher: Service, Sendable {
    let store: any JobStore
    let transports: [String: any FaxTransport]
    let spool: Spool
    let preparer: DocumentPreparer
    let monitor: ProviderHealthMonitor
    let metrics: FaxbotMetrics
    let clock: any WallClock
    let settings: DispatcherSettings
    let logger: Logger
    let inFlight = InFlight()
    private let wakeups: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    public init(
        store: any JobStore,
        transports: [any FaxTransport],
        spool: Spool,
        preparer: DocumentPreparer,
        monitor: ProviderHealthMonitor? = nil,
        metrics: FaxbotMetrics = FaxbotMetrics(),
        clock: any WallClock,
        settings: DispatcherSettings,
        logger: Logger
    ) {
        self.store = store
        self.transports = Dictionary(transports.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.spool = spool
        self.preparer = preparer
        self.monitor = monitor ?? ProviderHealthMonitor(transports: transports.map(\.id), clock: clock)
        self.metrics = metrics
        self.clock = clock
        self.settings = settings
        self.logger = logger
        (self.wakeups, self.wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a claim round now (e.g. right after a job was accepted).
    public func wake() { wakeContinuation.yield() }

    /// Attempts in flight right now.
    public var activeAttempts: Int { inFlight.count }

    func context() -> TransitionContext {
        TransitionContext(now: clock.now(), policy: settings.policy, retryUncertain: settings.retryUncertain, jitter: settings.jitter())
    }

    public func run() async throws {
        let adopted = await reconcileInFlightJobs()
        // Jobs queued before this start are claimed at once, not at the first tick.
        wake()
        await withDiscardingTaskGroup { services in
            for transport in transports.values {
                services.addTask { await self.consumeReports(of: transport) }
            }
            services.addTask { await self.tick() }
            await withGracefulShutdownHandler {
                await self.claimLoop(adopting: adopted)
            } onGracefulShutdown: {
                self.inFlight.stop()
                self.wakeContinuation.finish()
            }
            services.cancelAll()
        }
        logger.info("dispatcher stopped")
    }

    private func tick() async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: settings.pollInterval)
            } catch {
                return
            }
            wake()
        }
    }

    private func claimLoop(adopting adopted: [(Job, any FaxTransport)]) async {
        let drain = Mutex<Task<Void, Never>?>(nil)
        defer { drain.withLock { $0?.cancel() } }
        await withDiscardingTaskGroup { attempts in
            for (job, transport) in adopted {
                attempts.addTask { await self.watchAdopted(job, on: transport) }
            }
            for await _ in wakeups {
                guard !inFlight.isStopping else { break }
                for (job, transport) in await claimable() {
                    attempts.addTask { await self.runAttempt(job, on: transport) }
                }
            }
            // Stopping: give calls in flight the drain time, then leave them to the next start.
            // The drain timer is not a child: the group ends as soon as the last attempt does.
            if inFlight.count > 0 {
                let timer = Task {
                    guard (try? await self.clock.sleep(for: self.settings.drainTimeout)) != nil else { return }
                    self.inFlight.abandonAll()
                }
                drain.withLock { $0 = timer }
            }
        }
    }

    /// Due jobs that fit the channel and destination limits, reserved for this round.
    func claimable() async -> [(Job, any FaxTransport)] {
        let due: [Job]
        do {
            due = try await store.dueJobs(now: clock.now(), limit: 500)
        } catch {
            logger.error("cannot read due jobs", metadata: ["error": "\(error)"])
            return []
        }
        var picked: [(Job, any FaxTransport)] = []
        for job in due {
            guard let transport = transports[job.backend] else {
                await fail(job, "transport '\(job.backend)' is not configured")
                continue
            }
            // An open circuit breaker: the job waits, queued, until the transport is back.
            // A transport that cannot place calls now (PBX session down): the job waits, unspent.
            guard monitor.allowsAttempts(transport.id), transport.isAcceptingWork else { continue }
            let pool = transport.channelPool(for: job.to)
            if inFlight.reserve(job, transport: pool.name, limit: pool.limit) {
                picked.append((job, transport))
            }
        }
        return picked
    }

    private func fail(_ job: Job, _ detail: String) async {
        _ = try? await store.apply(.claim, to: job.id, source: .dispatcher, context: context())
        _ = try? await store.apply(
            .failed(.transportUnavailable, detail: detail, pagesSent: 0), to: job.id, source: .dispatcher, context: context()
        )
    }
}
