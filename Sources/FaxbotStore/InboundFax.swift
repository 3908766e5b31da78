import Foundation

/// What became of a received fax.
public enum InboundStatus: String, Sendable, Codable, CaseIterable {
    /// The PBX reported success and at least one page was stored.
    case received
    /// The call failed, but the pages that did arrive were stored.
    case partial
    /// Nothing usable arrived; the record exists so the missed fax is visible. No PDF.
    case failed
}

/// One received fax: a row of `inbound_faxes`. The same call (transport + call id) is one record.
public struct InboundFax: Sendable, Equatable {
    /// 32 lowercase hex characters, like job ids.
    public var id: String
    /// The transport that received it (`sip`, `freeswitch`, …).
    public var transport: String
    /// The PBX's id for the call; unique together with `transport`.
    public var callID: String
    public var from: String?
    public var to: String?
    public var status: InboundStatus
    /// Pages stored in the PDF (0 without one).
    public var pages: Int
    /// Size of the stored PDF in bytes (0 without one).
    public var sizeBytes: Int
    /// Hex SHA-256 of the stored PDF.
    public var sha256: String?
    /// The PDF's file name inside the inbound directory (`<id>.pdf`); nil when there is none.
    public var pdfPath: String?
    public var mailbox: String
    /// The PBX's error text; never PHI.
    public var error: String?
    public var remoteStationID: String?
    public var receivedAt: Date
    public var createdAt: Date
    public var updatedAt: Date
    /// When the PDF is deleted; nil: kept until an operator deletes it.
    public var retentionUntil: Date?
    /// When retention deleted the PDF (the row stays).
    public var pdfDeletedAt: Date?

    public init(
        id: String, transport: String, callID: String, from: String?, to: String?, status: InboundStatus, pages: Int, sizeBytes: Int,
        sha256: String?, pdfPath: String?, mailbox: String, error: String?, remoteStationID: String?, receivedAt: Date, createdAt: Date,
        updatedAt: Date, retentionUntil: Date?, pdfDeletedAt: Date? = nil
    ) {
        self.id = id
        self.transport = transport
        self.callID = callID
        self.from = from
        self.to = to
        self.status = status
        self.pages = pages
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.pdfPath = pdfPath
        self.mailbox = mailbox
        self.error = error
        self.remoteStationID = remoteStationID
        self.receivedAt = receivedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.retentionUntil = retentionUntil
        self.pdfDeletedAt = pdfDeletedAt
    }

    /// Whether the PDF can be served: one was stored and retention has not deleted it.
    public var hasPDF: Bool { pdfPath != nil && pdfDeletedAt == nil }
}

/// Filters for listing received faxes, newest first.
public struct InboundQuery: Sendable, Equatable {
    public var to: String?
    public var status: InboundStatus?
    public var mailbox: String?
    public var limit: Int

    /// At most 100 rows, as Faxbot v3 answered.
    public static let defaultLimit = 100

    public init(to: String? = nil, status: InboundStatus? = nil, mailbox: String? = nil, limit: Int = InboundQuery.defaultLimit) {
        self.to = to
        self.status = status
        self.mailbox = mailbox
        self.limit = limit
    }
}

public enum InboundInsertResult: Sendable, Equatable {
    case created(InboundFax)
    /// A record of the same call (transport + call id) already existed: that one, unchanged.
    case existing(InboundFax)

    public var fax: InboundFax {
        switch self {
        case .created(let fax), .existing(let fax): fax
        }
    }
}

/// Durable home of received faxes.
public protocol InboundStore: Sendable {
    /// Inserts `fax` unless a record of the same call (transport + call id) exists, atomically:
    /// concurrent inserts of one call create exactly one record, and every caller gets it.
    func insert(_ fax: InboundFax) async throws(StoreError) -> InboundInsertResult

    func fax(id: String) async throws(StoreError) -> InboundFax?

    func fax(transport: String, callID: String) async throws(StoreError) -> InboundFax?

    /// Newest first (by `received_at`, then id).
    func list(_ query: InboundQuery) async throws(StoreError) -> [InboundFax]

    /// Records that the PDF was deleted. Returns false when there is no such record or it was already marked.
    func markPDFDeleted(id: String, at: Date) async throws(StoreError) -> Bool

    /// Records whose PDF is still stored and whose retention ended at or before `now`, oldest first.
    func dueForRetention(now: Date, limit: Int) async throws(StoreError) -> [InboundFax]

    /// Whether a record names this PDF file (start-up cleanup of files never committed).
    func hasRecord(pdfPath: String) async throws(StoreError) -> Bool
}
