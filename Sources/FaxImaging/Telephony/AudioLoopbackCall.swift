import CSpanDSP

/// A T.30 call between two `fax_state_t` endpoints exchanging 16-bit linear audio at 8 kHz,
/// as in spandsp's `tests/fax_tests.c`.
enum AudioLoopbackCall {
    static func run(_ call: FaxLoopback, cancellation: LoopbackCancellation?) throws(FaxLoopbackError) -> LoopbackResult {
        let pair = try AudioEndpointPair(call)
        let chunk = Int(LoopbackDriver.samplesPerTick)
        var audioAtoB = [Int16](repeating: 0, count: chunk)
        var audioBtoA = [Int16](repeating: 0, count: chunk)
        let driver = LoopbackDriver(call: call, sender: pair.sender, receiver: pair.receiver, cancellation: cancellation)
        let outcome = driver.run {
            transmit(pair.faxA, into: &audioAtoB)
            transmit(pair.faxB, into: &audioBtoA)
            _ = audioAtoB.withUnsafeMutableBufferPointer { fax_rx(pair.faxB, $0.baseAddress, Int32($0.count)) }
            _ = audioBtoA.withUnsafeMutableBufferPointer { fax_rx(pair.faxA, $0.baseAddress, Int32($0.count)) }
        }
        return withExtendedLifetime(pair) { driver.result(outcome) }
    }

    /// Fills `buffer` with the next 20 ms of `fax`'s transmit audio, zero-padding a short return.
    private static func transmit(_ fax: OpaquePointer, into buffer: inout [Int16]) {
        buffer.withUnsafeMutableBufferPointer { samples in
            let produced = min(max(0, Int(fax_tx(fax, samples.baseAddress, Int32(samples.count)))), samples.count)
            for index in produced..<samples.count { samples[index] = 0 }
        }
    }
}

/// Owns the two `fax_state_t` objects and their ``T30Endpoint`` contexts.
///
/// `deinit` frees the spandsp states before the endpoints (which spandsp points at through
/// `user_data`) are released.
private final class AudioEndpointPair {
    /// The calling side, which sends the document.
    let faxA: OpaquePointer
    /// The answering side, which receives it.
    let faxB: OpaquePointer
    let sender: T30Endpoint
    let receiver: T30Endpoint

    init(_ call: FaxLoopback) throws(FaxLoopbackError) {
        guard let faxA = fax_init(nil, CSPANDSP_TRUE) else { throw .endpointCreationFailed(.audio) }
        guard let faxB = fax_init(nil, CSPANDSP_FALSE) else {
            fax_free(faxA)
            throw .endpointCreationFailed(.audio)
        }
        guard let t30A = fax_get_t30_state(faxA), let t30B = fax_get_t30_state(faxB) else {
            fax_free(faxA)
            fax_free(faxB)
            throw .endpointCreationFailed(.audio)
        }
        self.faxA = faxA
        self.faxB = faxB
        sender = T30Endpoint(t30: t30A, isSender: true)
        receiver = T30Endpoint(t30: t30B, isSender: false)
        fax_set_transmit_on_idle(faxA, CSPANDSP_TRUE)
        fax_set_transmit_on_idle(faxB, CSPANDSP_TRUE)
        sender.configure(call)
        receiver.configure(call)
    }

    deinit {
        fax_free(faxA)
        fax_free(faxB)
    }
}
