import FaxbotCore
import Foundation
import Hummingbird
import NIOCore

/// The job as the API shows it: Faxbot v3's `FaxJobOut` fields first, then v4's.
struct JobJSON: Encodable {
    let job: Job

    enum Keys: String, CodingKey {
        case id, to, status, error, pages, backend
        case providerSid = "provider_sid"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case pagesSent = "pages_sent"
        case attempts
        case maxAttempts = "max_attempts"
        case failureCause = "failure_cause"
        case nextAttemptAt = "next_attempt_at"
        case completedAt = "completed_at"
        case cancelRequested = "cancel_requested"
        case resolution, header
        case from
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(job.id, forKey: .id)
        try c.encode(job.to.rawValue, forKey: .to)
        try c.encode(job.status.rawValue, forKey: .status)
        try c.encode(job.error, forKey: .error)
        try c.encode(job.pagesTotal, forKey: .pages)
        try c.encode(job.backend, forKey: .backend)
        try c.encode(job.providerSid, forKey: .providerSid)
        try c.encode(RFC3339.string(job.createdAt), forKey: .createdAt)
        try c.encode(RFC3339.string(job.updatedAt), forKey: .updatedAt)
        try c.encode(job.pagesSent, forKey: .pagesSent)
        try c.encode(job.attempts, forKey: .attempts)
        try c.encode(job.maxAttempts, forKey: .maxAttempts)
        try c.encode(job.failureCause?.rawValue, forKey: .failureCause)
        try c.encode(job.nextAttemptAt.map(RFC3339.string), forKey: .nextAttemptAt)
        try c.encode(job.completedAt.map(RFC3339.string), forKey: .completedAt)
        try c.encode(job.cancelRequested, forKey: .cancelRequested)
        try c.encode(job.resolution.rawValue, forKey: .resolution)
        try c.encode(job.header, forKey: .header)
        try c.encode(job.from, forKey: .from)
    }
}

/// RFC 3339 UTC timestamps with milliseconds, e.g. `2026-11-30T00:20:04.123Z`.
enum RFC3339 {
    static func string(_ date: Date) -> String {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return date.formatted(style)
    }
}

enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
