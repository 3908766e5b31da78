/// A fax a self-hosted line received, as the PBX reported it (AMI `UserEvent(FaxbotInbound)`,
/// ESL `spandsp::rxfaxresult`, the v3 internal hook or `faxbot inbound submit`). The server turns
/// it into one `InboundFax` record; the same call reported twice collapses into one.
public struct InboundCall: Sendable, Equatable {
    /// The transport that received it (`sip`, `freeswitch`).
    public var transport: String
    /// The PBX's id for the call (Asterisk `UNIQUEID`, FreeSWITCH channel uuid): the dedupe key
    /// together with `transport`.
    public var callID: String
    /// Absolute path of the received TIFF, as the PBX wrote it.
    public var tiffPath: String
    /// The caller's number as signalled (may be empty or not E.164).
    public var from: String?
    /// The number dialled (the DID), which picks the mailbox.
    public var to: String?
    /// The PBX's verdict: true for `SUCCESS` / `fax-success=1`.
    public var succeeded: Bool
    /// Pages the PBX says it received.
    public var pages: Int?
    public var remoteStationID: String?
    /// The PBX's error text on failure (`FAXERROR`, `fax-result-text`); never PHI.
    public var error: String?

    public init(
        transport: String, callID: String, tiffPath: String, from: String? = nil, to: String? = nil, succeeded: Bool,
        pages: Int? = nil, remoteStationID: String? = nil, error: String? = nil
    ) {
        self.transport = transport
        self.callID = callID
        self.tiffPath = tiffPath
        self.from = from
        self.to = to
        self.succeeded = succeeded
        self.pages = pages
        self.remoteStationID = remoteStationID
        self.error = error
    }
}

/// A transport that receives faxes as well as sending them.
public protocol InboundFaxSource: Sendable {
    /// Faxes received, as the PBX reports them. Consumed by the server's inbound service only.
    var inboundCalls: AsyncStream<InboundCall> { get }
}
