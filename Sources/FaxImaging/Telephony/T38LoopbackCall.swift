import CSpanDSP

/// A T.30 call between two `t38_terminal_state_t` endpoints exchanging T.38 IFP packets over a
/// lossless simulated path, as in spandsp's `tests/t38_terminal_tests.c`.
enum T38LoopbackCall {
    static func run(_ call: FaxLoopback, cancellation: LoopbackCancellation?) throws(FaxLoopbackError) -> LoopbackResult {
        let pair = try T38EndpointPair(call)
        let driver = LoopbackDriver(call: call, sender: pair.sender, receiver: pair.receiver, cancellation: cancellation)
        let outcome = driver.run {
            _ = t38_terminal_send_timeout(pair.terminalA, LoopbackDriver.samplesPerTick)
            _ = t38_terminal_send_timeout(pair.terminalB, LoopbackDriver.samplesPerTick)
            pair.linkAtoB.deliver(to: pair.coreB)
            pair.linkBtoA.deliver(to: pair.coreA)
        }
        return withExtendedLifetime(pair) { driver.result(outcome) }
    }
}

/// Owns the two T.38 terminals, their packet links and ``T30Endpoint`` contexts.
///
/// `deinit` frees the spandsp states before the objects they reference through `user_data`.
private final class T38EndpointPair {
    /// The calling side, which sends the document.
    let terminalA: OpaquePointer
    /// The answering side, which receives it.
    let terminalB: OpaquePointer
    let coreA: OpaquePointer
    let coreB: OpaquePointer
    let linkAtoB: T38PacketLink
    let linkBtoA: T38PacketLink
    let sender: T30Endpoint
    let receiver: T30Endpoint

    init(_ call: FaxLoopback) throws(FaxLoopbackError) {
        let linkAtoB = T38PacketLink()
        let linkBtoA = T38PacketLink()
        guard let terminalA = t38_terminal_init(nil, CSPANDSP_TRUE, T38PacketLink.handler, linkAtoB.userData) else {
            throw .endpointCreationFailed(.t38)
        }
        guard let terminalB = t38_terminal_init(nil, CSPANDSP_FALSE, T38PacketLink.handler, linkBtoA.userData) else {
            t38_terminal_free(terminalA)
            throw .endpointCreationFailed(.t38)
        }
        guard let coreA = t38_terminal_get_t38_core_state(terminalA), let coreB = t38_terminal_get_t38_core_state(terminalB),
            let t30A = t38_terminal_get_t30_state(terminalA), let t30B = t38_terminal_get_t30_state(terminalB)
        else {
            t38_terminal_free(terminalA)
            t38_terminal_free(terminalB)
            throw .endpointCreationFailed(.t38)
        }
        self.linkAtoB = linkAtoB
        self.linkBtoA = linkBtoA
        self.terminalA = terminalA
        self.terminalB = terminalB
        self.coreA = coreA
        self.coreB = coreB
        sender = T30Endpoint(t30: t30A, isSender: true)
        receiver = T30Endpoint(t30: t30B, isSender: false)
        t38_set_t38_version(coreA, 0)
        t38_set_t38_version(coreB, 0)
        sender.configure(call)
        receiver.configure(call)
    }

    deinit {
        t38_terminal_free(terminalA)
        t38_terminal_free(terminalB)
    }
}
