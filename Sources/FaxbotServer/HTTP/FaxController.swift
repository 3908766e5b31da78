import FaxbotCore
import FaxbotStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The fax endpoints: Faxbot v3's contract (`POST /fax` → 202, `GET /fax/{id}`) and v4's additions.
struct FaxController<Context: RequestContext> {
    let jobs: JobService
    let auth: Authenticator
    let maxFileSizeBytes: Int
    let maxFileSizeMB: Int

    static var idempotencyHeader: HTTPField.Name { HTTPField.Name("Idempotency-Key")! }
    static var replayedHeader: HTTPField.Name { HTTPField.Name("Idempotent-Replayed")! }

    func addRoutes(to router: Router<Context>) {
        router.post("/fax") { request, context in try await submit(request, context, route: "v3", status: .accepted) }
        router.post("/fax/send") { request, context in try await submit(request, context, route: "v4", status: .ok) }
        router.get("/fax") { request, _ in try await list(request) }
        router.get("/fax/:id") { request, context in try await get(request, context) }
        router.get("/fax/status/:id") { request, context in try await get(request, context) }
        router.get("/fax/:id/events") { request, context in try await events(request, context) }
        router.post("/fax/:id/cancel") { request, context in try await cancel(request, context) }
    }

    func submit(_ request: Request, _ context: Context, route: String, status: HTTPResponse.Status) async throws -> Response {
        let principal = try await auth.require(.faxSend, request.headers)
        let key = try idempotencyKey(request.headers)
        let upload = try await MultipartUpload.read(request, spool: jobs.spool, maxFileSize: maxFileSizeBytes, megabytes: maxFileSizeMB)
        var missing: [String] = []
        if upload.fields["to"] == nil { missing.append("to") }
        if upload.file == nil { missing.append("file") }
        guard missing.isEmpty, let to = upload.fields["to"] else {
            upload.file?.discard()
            throw APIError.missingFields(missing)
        }
        let options: SubmitOptions
        do {
            options = try submitOptions(upload.fields, route: route)
        } catch {
            upload.file?.discard()
            throw error
        }
        let (job, created) = try await jobs.submit(
            to: to, upload: upload, options: options, idempotencyKey: key, principal: principal, route: route
        )
        return try JSONResponse.make(JobJSON(job: job), status: status, headers: created ? [:] : [Self.replayedHeader: "true"])
    }

    func get(_ request: Request, _ context: Context) async throws -> Response {
        _ = try await auth.require(.faxRead, request.headers)
        let job = try await jobs.job(id: context.parameters.get("id") ?? "")
        return try JSONResponse.make(JobJSON(job: job))
    }

    func events(_ request: Request, _ context: Context) async throws -> Response {
        _ = try await auth.require(.faxRead, request.headers)
        let events = try await jobs.events(id: context.parameters.get("id") ?? "")
        return try JSONResponse.make(["items": events.map(EventJSON.init)])
    }

    func cancel(_ request: Request, _ context: Context) async throws -> Response {
        _ = try await auth.require(.faxSend, request.headers)
        let job = try await jobs.cancel(id: context.parameters.get("id") ?? "")
        return try JSONResponse.make(JobJSON(job: job))
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await auth.require(.faxRead, request.headers)
        let parameters = request.uri.queryParameters
        var query = JobQuery()
        if let status = parameters.get("status") {
            guard let value = JobStatus(rawValue: status) else {
                throw APIError.invalid("status must be one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.status = value
        }
        if let to = parameters.get("to") {
            guard let number = try? PhoneNumber(parsing: to) else { throw APIError.badNumber("invalid 'to' filter") }
            query.to = number.rawValue
        }
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...200).contains(value) else { throw APIError.invalid("limit must be 1 to 200") }
            query.limit = value
        }
        if let cursor = parameters.get("cursor") {
            guard let value = JobCursor(token: cursor) else { throw APIError.invalid("cursor is not valid") }
            query.cursor = value
        }
        let page = try await jobs.list(query)
        return try JSONResponse.make(ListJSON(items: page.jobs.map(JobJSON.init), nextCursor: page.nextCursor?.token))
    }

    private func idempotencyKey(_ headers: HTTPFields) throws(APIError) -> String? {
        guard let key = headers[Self.idempotencyHeader] else { return nil }
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw .invalid("Idempotency-Key must be 1 to 128 printable ASCII characters")
        }
        return key
    }

    private func submitOptions(_ fields: [String: String], route: String) throws(APIError) -> SubmitOptions {
        var options = SubmitOptions()
        guard route == "v4" else { return options }
        if let from = fields["from"], !from.isEmpty {
            guard (try? PhoneNumber(parsing: from)) != nil else { throw .invalid("'from' must be E.164 or digits only") }
            options.from = from
        }
        if let header = fields["header"], !header.isEmpty {
            guard header.count <= 50, header.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw .invalid("'header' must be at most 50 printable characters")
            }
            options.header = header
        }
        if let provider = fields["provider"], !provider.isEmpty { options.provider = provider }
        if let resolution = fields["resolution"], !resolution.isEmpty {
            guard let value = Resolution(rawValue: resolution) else { throw .invalid("'resolution' must be fine or standard") }
            options.resolution = value
        }
        return options
    }
}

struct ListJSON: Encodable {
    let items: [JobJSON]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}

struct EventJSON: Encodable {
    let record: JobEventRecord

    enum CodingKeys: String, CodingKey {
        case seq, event, from, to, cause, source, at, detail
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.seq, forKey: .seq)
        try c.encode(record.event, forKey: .event)
        try c.encode(record.from?.rawValue, forKey: .from)
        try c.encode(record.to.rawValue, forKey: .to)
        try c.encode(record.cause?.rawValue, forKey: .cause)
        try c.encode(record.source.rawValue, forKey: .source)
        try c.encode(RFC3339.string(record.at), forKey: .at)
        try c.encode(record.detail, forKey: .detail)
    }
}
