import Synchronization

/// What a session delivers to its subscribers: control items (session up, session lost) that are
/// never dropped, ordinary events that may be, and the marker that says how many were.
public protocol SubscriberEvent: Sendable {
    /// `.connected` / `.disconnected`: always delivered, never counted against the limit.
    var isControl: Bool { get }
    /// The item that stands where `dropped` events were discarded.
    static func overflow(dropped: Int) -> Self
}

/// A bounded, drop-counting mailbox between the connection's reader and one subscriber.
///
/// The reader never waits: ordinary events beyond `limit` are dropped and counted, and the count is
/// delivered as `.overflow(dropped:)` exactly where the gap is, before the next item that got in.
/// Control items (`.connected`, `.disconnected`) are always accepted and do not count toward `limit`.
public final class SubscriberBuffer<Event: SubscriberEvent>: Sendable {
    private enum Slot {
        case item(Event)
        case gap(Int)
    }

    private struct State {
        var slots: [Slot] = []
        var head = 0
        var itemCount = 0
        var finished = false
        var waiter: CheckedContinuation<Event?, Never>?
    }

    private let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Number of ordinary events currently buffered (for tests and metrics).
    public var count: Int { state.withLock { $0.itemCount } }

    /// Offers an item; drops an `.event` (counting the drop) when the buffer is full.
    public func push(_ event: Event) {
        let always = Self.isControl(event)
        let waiter: CheckedContinuation<Event?, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            if !always && state.itemCount >= limit {
                if case .gap(let dropped) = state.slots.last, state.slots.count > state.head {
                    state.slots[state.slots.count - 1] = .gap(dropped + 1)
                } else {
                    state.slots.append(.gap(1))
                }
                return nil
            }
            state.slots.append(.item(event))
            if !always { state.itemCount += 1 }
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// Ends the stream once the buffered items are consumed.
    public func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Ends the stream now, discarding buffered items (the consumer went away).
    public func cancel() {
        let waiter = state.withLock { state in
            state.finished = true
            state.slots = []
            state.head = 0
            state.itemCount = 0
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next item, waiting if none is buffered; `nil` once finished or cancelled.
    public func next() async -> Event? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Event?, Never>) in
                let immediate: Event?? = state.withLock { state in
                    if let event = Self.pop(&state) { return .some(event) }
                    if state.finished { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            cancel()
        }
    }

    private static func pop(_ state: inout State) -> Event? {
        guard state.head < state.slots.count else { return nil }
        let slot = state.slots[state.head]
        state.head += 1
        if state.head == state.slots.count {
            state.slots.removeAll(keepingCapacity: true)
            state.head = 0
        } else if state.head >= 4096 && state.head * 2 >= state.slots.count {
            state.slots.removeFirst(state.head)
            state.head = 0
        }
        switch slot {
        case .gap(let dropped):
            return Event.overflow(dropped: dropped)
        case .item(let event):
            if !isControl(event) { state.itemCount -= 1 }
            return event
        }
    }

    private static func isControl(_ event: Event) -> Bool { event.isControl }
}
