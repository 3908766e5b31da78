import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The inbound routes: Faxbot v3's read API (`GET /inbound`, `/inbound/{id}`, `/inbound/{id}/pdf`)
/// and its internal hook for dialplans (`POST /_internal/asterisk/inbound`). Registered only
/// when `inbound.enabled`; the hook only when `inbound.secret` is set.
struct InboundController<Context: RequestContext> {
    let store: any InboundStore
    let ingestor: InboundIngestor
    let auth: Authenticator
    let tokens: InboundPDFToken
    let clock: any WallClock
    let secret: String?
    let logger: Logger

    static var secretHeader: HTTPField.Name { HTTPField.Name("X-Internal-Secret")! }
    static var hookPath: String { "/_internal/asterisk/inbound" }

    func addRoutes(to router: Router<Context>) {
        router.get("/inbound") { request, _ in try await list(request) }
        router.get("/inbound/:id") { request, context in try await get(request, context) }
        router.get("/inbound/:id/pdf") { request, context in try await pdf(request, context) }
        if secret != nil {
            router.post(RouterPath(Self.hookPath)) { request, _ in try await hook(request) }
        }
    }

    // MARK: Read API

    func list(_ request: Request) async throws -> Response {
        _ = try await auth.require(.inboundList, request.headers)
        let parameters = request.uri.queryParameters
        var query = InboundQuery()
        if let to = parameters.get("to_number"), !to.isEmpty {
            guard InboundIngestor.number(to) != nil else { throw APIError.invalid("to_number must be digits with an optional leading +") }
            query.to = to
        }
        if let status = parameters.get("status"), !status.isEmpty {
            guard let value = InboundStatus(rawValue: status) else {
                throw APIError.invalid("status must be one of \(InboundStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.status = value
        }
        if let mailbox = parameters.get("mailbox"), !mailbox.isEmpty {
            guard InboundSettings.isValidMailbox(mailbox) else { throw APIError.invalid("mailbox must be 1 to 64 of A–Z, a–z, 0–9, . _ -") }
            query.mailbox = mailbox
        }
        let faxes: [InboundFax]
        do {
            faxes = try await store.list(query)
        } catch {
            throw APIError.unavailable("The inbound store is not available")
        }
        return try JSONResponse.make(faxes.map { InboundJSON(fax: $0, pdfURL: nil) })
    }

    func get(_ request: Request, _ context: Context) async throws -> Response {
        _ = try await auth.require(.inboundRead, request.headers)
        let fax = try await find(context.parameters.get("id") ?? "")
        let url = fax.hasPDF ? "/inbound/\(fax.id)/pdf?token=\(tokens.make(id: fax.id, now: clock.now()))" : nil
        return try JSONResponse.make(InboundJSON(fax: fax, pdfURL: .some(url)))
    }

    /// The PDF, for a key with `inbound:read` or for a valid `token` alone: the token route never
    /// asks for a key (v3 asked for one first, so its tokens never worked where keys were enforced).
    func pdf(_ request: Request, _ context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard JobID.isValid(id) else { throw APIError.inboundNotFound }
        let token = request.uri.queryParameters.get("token").map { String($0) } ?? ""
        let via: String
        if !token.isEmpty, tokens.verify(token, id: id, now: clock.now()) {
            via = "token"
        } else if token.isEmpty || request.headers[Authenticator.header] != nil {
            _ = try await auth.require(.inboundRead, request.headers)
            via = "key"
        } else {
            throw APIError.invalidToken
        }
        let fax = try await find(id)
        guard let path = ingestor.pdfPath(of: fax) else { throw APIError.missing("This fax has no PDF: nothing usable arrived") }
        guard fax.pdfDeletedAt == nil else { throw APIError.gone("The PDF was deleted at the end of its retention") }
        let data: Data
        do {
            data = try await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: URL(fileURLWithPath: path)) }
        } catch {
            logger.error("an inbound PDF with a record is missing", metadata: ["inbound_id": "\(fax.id)"])
            throw APIError.gone("The PDF is no longer stored")
        }
        logger.info("inbound pdf served", metadata: ["inbound_id": "\(fax.id)", "via": "\(via)"])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf", .contentDisposition: "attachment; filename=\"\(fax.id).pdf\"", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    private func find(_ id: String) async throws(APIError) -> InboundFax {
        guard JobID.isValid(id) else { throw .inboundNotFound }
        let fax: InboundFax?
        do {
            fax = try await store.fax(id: id)
        } catch {
            throw .unavailable("The inbound store is not available")
        }
        guard let fax else { throw .inboundNotFound }
        return fax
    }

    // MARK: Internal hook

    /// v3's `{tiff_path, to_number, from_number?, faxstatus?, faxpages?, uniqueid}`, plus v4's
    /// optional `transport` (default `sip`), `remote_station_id` and `faxerror`.
    func hook(_ request: Request) async throws -> Response {
        guard let secret, let given = request.headers[Self.secretHeader], ConstantTime.equal(given, secret) else {
            logger.notice("internal inbound hook refused: wrong or missing secret")
            throw APIError.internalSecret
        }
        let body = request.body
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: 64 << 10)
        } catch {
            throw APIError.invalid("the body must be a JSON object of at most 64 KiB")
        }
        let call = try HookReport.parse(Data(buffer.readableBytesView))
        let fax: InboundFax
        do {
            fax = try await ingestor.ingest(call)
        } catch let error as InboundError {
            switch error.kind {
            case .invalidReport, .outsideSpool: throw APIError.invalid(error.message)
            case .unreadable, .rejected: throw APIError.unprocessable(error.message)
            case .storage: throw APIError.unavailable(error.message)
            }
        }
        return try JSONResponse.make(["id": fax.id, "status": "ok"])
    }
}

/// The internal hook's body, checked field by field.
struct HookReport: Decodable {
    var tiffPath: String?
    var uniqueid: String?
    var toNumber: String?
    var fromNumber: String?
    var faxstatus: String?
    var faxpages: LenientInt?
    var transport: String?
    var remoteStationID: String?
    var faxerror: String?

    enum CodingKeys: String, CodingKey {
        case uniqueid, faxstatus, faxpages, transport, faxerror
        case tiffPath = "tiff_path"
        case toNumber = "to_number"
        case fromNumber = "from_number"
        case remoteStationID = "remote_station_id"
    }

    /// A whole number sent as a number or as a string of digits (dialplans send strings).
    struct LenientInt: Decodable {
        var value: Int?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = nil
            } else if let number = try? container.decode(Int.self) {
                value = number
            } else {
                let text = try container.decode(String.self)
                guard text.isEmpty || Int(text) != nil else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a whole number")
                }
                value = Int(text)
            }
        }
    }

    static func parse(_ data: Data) throws(APIError) -> InboundCall {
        let report: HookReport
        do {
            report = try JSONDecoder().decode(HookReport.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) where !context.codingPath.isEmpty {
            throw .invalid("\(context.codingPath[0].stringValue) has the wrong type")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw .invalid("\(context.codingPath[0].stringValue) has the wrong type")
        } catch {
            throw .invalid("the body must be a JSON object")
        }
        return try report.call()
    }

    func call() throws(APIError) -> InboundCall {
        guard let tiffPath, !tiffPath.isEmpty, tiffPath.utf8.count <= 4096 else {
            throw .invalid("tiff_path is required: the absolute path of the received TIFF")
        }
        guard let uniqueid, InboundIngestor.isValidCallID(uniqueid) else {
            throw .invalid("uniqueid is required: 1 to 128 of A–Z, a–z, 0–9, . _ : and -")
        }
        guard let toNumber else { throw .invalid("to_number is required") }
        let succeeded: Bool
        switch faxstatus?.uppercased() {
        case nil, "SUCCESS": succeeded = true  // v3 dialplans posted only after a reception
        case "FAILED", "": succeeded = false
        default: throw .invalid("faxstatus must be SUCCESS or FAILED")
        }
        let pages = faxpages?.value
        if let pages, !(0...10_000).contains(pages) { throw .invalid("faxpages must be a whole number from 0 to 10000") }
        for (name, value) in [
            ("from_number", fromNumber), ("to_number", toNumber), ("transport", transport), ("remote_station_id", remoteStationID),
            ("faxerror", faxerror),
        ] {
            if let value, value.utf8.count > 256 { throw .invalid("\(name) is too long") }
        }
        return InboundCall(
            transport: transport ?? "sip", callID: uniqueid, tiffPath: tiffPath, from: fromNumber?.isEmpty == true ? nil : fromNumber,
            to: toNumber.isEmpty ? nil : toNumber, succeeded: succeeded, pages: pages, remoteStationID: remoteStationID, error: faxerror
        )
    }
}

/// A received fax as the API shows it: Faxbot v3's `InboundFaxOut` fields, then v4's.
struct InboundJSON: Encodable {
    let fax: InboundFax
    /// nil: not part of this answer (lists); .some(nil): part of it, but there is no PDF.
    let pdfURL: String??

    enum Keys: String, CodingKey {
        case id, fr, to, status, backend, pages, mailbox, error, sha256
        case sizeBytes = "size_bytes"
        case createdAt = "created_at"
        case receivedAt = "received_at"
        case updatedAt = "updated_at"
        case retentionUntil = "retention_until"
        case pdfAvailable = "pdf_available"
        case pdfURL = "pdf_url"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(fax.id, forKey: .id)
        try c.encode(fax.from, forKey: .fr)
        try c.encode(fax.to, forKey: .to)
        try c.encode(fax.status.rawValue, forKey: .status)
        try c.encode(fax.transport, forKey: .backend)
        try c.encode(fax.pages, forKey: .pages)
        try c.encode(fax.sizeBytes, forKey: .sizeBytes)
        try c.encode(RFC3339.string(fax.createdAt), forKey: .createdAt)
        try c.encode(RFC3339.string(fax.receivedAt), forKey: .receivedAt)
        try c.encode(RFC3339.string(fax.updatedAt), forKey: .updatedAt)
        try c.encode(fax.mailbox, forKey: .mailbox)
        try c.encode(fax.error, forKey: .error)
        try c.encode(fax.sha256, forKey: .sha256)
        try c.encode(fax.retentionUntil.map(RFC3339.string), forKey: .retentionUntil)
        try c.encode(fax.hasPDF, forKey: .pdfAvailable)
        if let pdfURL { try c.encode(pdfURL, forKey: .pdfURL) }
    }
}
