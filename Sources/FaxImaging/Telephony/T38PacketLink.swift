import CSpanDSP

/// One direction of a simulated T.38 path: the IFP packets an endpoint's packet handler
/// queued during a tick, each stamped with this direction's sequence number.
///
/// The handler only queues. Delivering straight into the other terminal from inside the
/// handler would re-enter spandsp. Confined to the call's thread.
final class T38PacketLink {
    /// A queued IFP packet and its sequence number.
    struct Packet {
        var bytes: [UInt8]
        var sequence: UInt16
    }

    private var queue: [Packet] = []
    private var nextSequence: UInt16 = 0
    /// Total packets and bytes queued in this direction.
    private(set) var packetCount = 0
    private(set) var byteCount = 0

    /// The `t38_tx_packet_handler_t` to register with `t38_terminal_init`, with this link as `user_data`.
    ///
    /// `count` is spandsp's requested redundancy (copies to send); a lossless path needs one.
    static let handler: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int32, Int32) -> Int32 = {
        _, userData, buffer, length, _ in
        guard let userData, let buffer, length >= 0 else { return -1 }
        let link = Unmanaged<T38PacketLink>.fromOpaque(userData).takeUnretainedValue()
        link.enqueue(Array(UnsafeBufferPointer(start: buffer, count: Int(length))))
        return 0
    }

    /// The pointer to pass as the handler's `user_data`; valid while this link is alive.
    var userData: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    private func enqueue(_ bytes: [UInt8]) {
        queue.append(Packet(bytes: bytes, sequence: nextSequence))
        nextSequence &+= 1
        packetCount += 1
        byteCount += bytes.count
    }

    /// Delivers every queued packet to `core` (the far end's `t38_core_state_t`), in order.
    /// Packets queued while delivering (replies) stay for the next call.
    func deliver(to core: OpaquePointer) {
        let packets = queue
        queue.removeAll(keepingCapacity: true)
        for packet in packets {
            _ = packet.bytes.withUnsafeBufferPointer { t38_core_rx_ifp_packet(core, $0.baseAddress, Int32($0.count), packet.sequence) }
        }
    }
}
