import Foundation

/// ``InboundStore`` in memory, with the same semantics as the SQLite one; for pure tests.
public actor InMemoryInboundStore: InboundStore {
    private var records: [String: InboundFax] = [:]

    public init() {}

    public func insert(_ fax: InboundFax) throws(StoreError) -> InboundInsertResult {
        if let existing = records.values.first(where: { $0.transport == fax.transport && $0.callID == fax.callID }) {
            return .existing(existing)
        }
        guard records[fax.id] == nil else { throw .duplicate("inbound fax \(fax.id)") }
        records[fax.id] = fax
        return .created(fax)
    }

    public func fax(id: String) -> InboundFax? { records[id] }

    public func fax(transport: String, callID: String) -> InboundFax? {
        records.values.first { $0.transport == transport && $0.callID == callID }
    }

    public func list(_ query: InboundQuery) -> [InboundFax] {
        let matching = records.values.filter { fax in
            (query.to.map { fax.to == $0 } ?? true) && (query.status.map { fax.status == $0 } ?? true)
                && (query.mailbox.map { fax.mailbox == $0 } ?? true)
        }
        return Array(matching.sorted { ($0.receivedAt, $0.id) > ($1.receivedAt, $1.id) }.prefix(max(0, query.limit)))
    }

    public func markPDFDeleted(id: String, at: Date) -> Bool {
        guard var fax = records[id], fax.pdfDeletedAt == nil else { return false }
        fax.pdfDeletedAt = at
        fax.updatedAt = at
        records[id] = fax
        return true
    }

    public func dueForRetention(now: Date, limit: Int) -> [InboundFax] {
        let due = records.values.filter { fax in
            guard fax.hasPDF, let until = fax.retentionUntil else { return false }
            return until <= now
        }
        return Array(due.sorted { ($0.retentionUntil ?? now, $0.id) < ($1.retentionUntil ?? now, $1.id) }.prefix(max(0, limit)))
    }

    public func hasRecord(pdfPath: String) -> Bool {
        records.values.contains { $0.pdfPath == pdfPath }
    }
}
