/// The outcome of one ``FaxLoopback`` call.
public struct LoopbackResult: Sendable, Hashable {
    /// Audio or T.38.
    public var mode: FaxLoopback.Mode
    /// Whether ECM was enabled on both endpoints.
    public var ecm: Bool
    /// The sender's phase E completion code.
    public var transmitter: T30Completion
    /// The receiver's phase E completion code.
    public var receiver: T30Completion
    /// Pages the sender reports as sent and confirmed.
    public var pagesSent: Int
    /// Pages the receiver wrote to the output file.
    public var pagesReceived: Int
    /// Pages in the input file as spandsp counted them (`nil` if it could not open the file).
    public var pagesInFile: Int?
    /// Image-data bit rate negotiated for the last page, in bit/s (0 if no page was sent).
    public var bitRate: Int
    /// Whether ECM was actually used for the image data.
    public var ecmUsed: Bool
    /// The line encoding spandsp used for image data (for example "T.4 2-D"), when known.
    public var encoding: String?
    /// Simulated line time the call took, in seconds.
    public var simulatedSeconds: Double
    /// CPU time the calling thread spent running the call (both endpoints).
    public var cpuTime: Duration
    /// Whether the time limit was reached and ``FaxLoopback`` ended the call with `t30_terminate`.
    public var timedOut: Bool

    /// Both sides completed with `T30_ERR_OK` and every page sent was received.
    public var succeeded: Bool {
        transmitter.isOK && receiver.isOK && pagesSent == pagesReceived && pagesSent > 0
    }
}
