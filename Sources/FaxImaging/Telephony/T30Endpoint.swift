import CSpanDSP

/// One side of a loopback call: the T.30 engine of a `fax_state_t` or `t38_terminal_state_t`,
/// configured as sender or receiver, plus what its phase E handler reported.
///
/// Confined to the thread running the call. spandsp calls the phase E handler synchronously
/// from inside `fax_rx`/`fax_tx`/`t38_terminal_send_timeout`/`t38_core_rx_ifp_packet`/`t30_terminate`,
/// so plain stored properties are safe.
final class T30Endpoint {
    /// The T.30 engine, owned by the enclosing spandsp state.
    let t30: OpaquePointer
    /// Whether this side sends the document (the caller) or receives it (the answerer).
    let isSender: Bool
    /// The phase E completion code, once phase E has been reached.
    private(set) var completion: Int?
    /// Transfer statistics captured inside the phase E handler, while spandsp still has them.
    private(set) var statistics = t30_stats_t()

    init(t30: OpaquePointer, isSender: Bool) {
        self.t30 = t30
        self.isSender = isSender
    }

    /// Applies the call options and the file to send or receive, and installs the phase E handler.
    ///
    /// The handler receives `self` unretained as `user_data`: the caller must keep this object
    /// alive until the spandsp state is freed.
    func configure(_ call: FaxLoopback) {
        t30_set_tx_ident(t30, isSender ? "+1 555 0100" : "+1 555 0199")
        t30_set_supported_modems(t30, Int32(call.modems.rawValue))
        t30_set_ecm_capability(t30, call.ecm ? CSPANDSP_TRUE : CSPANDSP_FALSE)
        var compressions = Int32(T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION)
        if call.ecm { compressions |= Int32(T30_SUPPORT_T6_COMPRESSION) }
        t30_set_supported_compressions(t30, compressions)
        let sizes =
            T30_SUPPORT_215MM_WIDTH | T30_SUPPORT_255MM_WIDTH | T30_SUPPORT_303MM_WIDTH | T30_SUPPORT_US_LETTER_LENGTH
            | T30_SUPPORT_US_LEGAL_LENGTH | T30_SUPPORT_A4_LENGTH | T30_SUPPORT_B4_LENGTH | T30_SUPPORT_UNLIMITED_LENGTH
        t30_set_supported_image_sizes(t30, Int32(sizes))
        let resolutions =
            T30_SUPPORT_STANDARD_RESOLUTION | T30_SUPPORT_FINE_RESOLUTION | T30_SUPPORT_SUPERFINE_RESOLUTION | T30_SUPPORT_R8_RESOLUTION
            | T30_SUPPORT_R16_RESOLUTION
        t30_set_supported_resolutions(t30, Int32(resolutions))
        if isSender {
            t30_set_tx_file(t30, call.inputPath, -1, -1)
        } else {
            t30_set_rx_file(t30, call.outputPath, -1)
        }
        t30_set_phase_e_handler(
            t30,
            { _, userData, completionCode in
                guard let userData else { return }
                Unmanaged<T30Endpoint>.fromOpaque(userData).takeUnretainedValue().phaseE(completionCode)
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    /// Records the completion code and statistics (called by spandsp, on the call's thread).
    private func phaseE(_ completionCode: Int32) {
        completion = Int(completionCode)
        t30_get_transfer_statistics(t30, &statistics)
    }

    /// Ends the call at once; spandsp runs the phase E handler before this returns.
    func terminate() {
        if completion == nil { t30_terminate(t30) }
    }

    /// The completion code, or `T30_ERR_CALLDROPPED` if phase E never fired.
    var completionOrDropped: T30Completion {
        completion.map(T30Completion.init(code:)) ?? .callDropped
    }
}
