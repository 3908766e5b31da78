import FaxbotCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Every error the API answers with, rendered as Faxbot v3 did: `{"detail": …}`.
public enum APIError: Error, Sendable, Equatable, HTTPResponseError {
    case badNumber(String)
    case unauthorized
    case insufficientScope(Scope)
    case jobNotFound
    case notFound
    case fileTooLarge(megabytes: Int)
    case unsupportedMediaType
    /// PostScript is a program, not a document: refused with its own reason.
    case postScriptRefused
    case emptyFile
    /// FastAPI's 422 shape: the names of missing form fields.
    case missingFields([String])
    case invalid(String)
    case malformedBody
    case idempotencyConflict
    case conflict(String)
    case unavailable(String)
    /// The caller's rate limit is used up.
    case rateLimited(RateLimiter.Decision)
    case `internal`
    // Inbound.
    case inboundNotFound
    /// A `pdf_url` token that is forged, expired or made for another fax.
    case invalidToken
    /// The internal hook's `X-Internal-Secret` is missing or wrong.
    case internalSecret
    /// 404 with a reason (a record without the thing asked for).
    case missing(String)
    case gone(String)
    case unprocessable(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .badNumber, .emptyFile, .invalid, .malformedBody: .badRequest
        case .unauthorized: .unauthorized
        case .insufficientScope: .forbidden
        case .jobNotFound, .notFound: .notFound
        case .fileTooLarge: .contentTooLarge
        case .unsupportedMediaType, .postScriptRefused: .unsupportedMediaType
        case .missingFields, .idempotencyConflict: .unprocessableContent
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        case .rateLimited: .tooManyRequests
        case .internal: .internalServerError
        case .inboundNotFound: .notFound
        case .invalidToken: .forbidden
        case .internalSecret: .unauthorized
        case .missing: .notFound
        case .gone: .gone
        case .unprocessable: .unprocessableContent
        }
    }

    var detail: String {
        switch self {
        case .badNumber: "'to' must be E.164 or digits only"
        case .unauthorized: "Invalid or missing API key"
        case .insufficientScope(let scope): "Insufficient scope: \(scope.rawValue) required"
        case .jobNotFound: "Job not found"
        case .notFound: "Not Found"
        case .fileTooLarge(let megabytes): "File exceeds \(megabytes) MB limit"
        case .unsupportedMediaType: "Only PDF and TXT are allowed"
        case .postScriptRefused: "PostScript is not accepted; send the document as PDF"
        case .emptyFile: "File is empty"
        case .missingFields: "Field required"
        case .invalid(let message): message
        case .malformedBody: "There was an error parsing the body"
        case .idempotencyConflict: "Idempotency-Key was already used with a different request"
        case .conflict(let message): message
        case .unavailable(let message): message
        case .rateLimited: "Rate limit exceeded"
        case .internal: "Internal Server Error"
        case .inboundNotFound: "Inbound fax not found"
        case .invalidToken: "Invalid or expired token"
        case .internalSecret: "Invalid or missing internal secret"
        case .missing(let message), .gone(let message), .unprocessable(let message): message
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: jsonBody))
    }

    /// Content type, and what a limit adds (`Retry-After`, `X-RateLimit-*`).
    var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if case .rateLimited(let decision) = self { fields.append(contentsOf: RateLimitMiddleware<BasicRequestContext>.headers(decision)) }
        return fields
    }

    /// `{"detail": …}`, or FastAPI's list shape for missing fields.
    var jsonBody: ByteBuffer {
        let body: Any
        switch self {
        case .missingFields(let fields):
            body = ["detail": fields.map { ["type": "missing", "loc": ["body", $0], "msg": "Field required", "input": NSNull()] as [String: Any] }]
        case .badNumber(let reason):
            body = ["detail": detail, "reason": reason]
        default:
            body = ["detail": detail]
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data(#"{"detail":"error"}"#.utf8)
        return ByteBuffer(bytes: data)
    }
}

/// The edge of every request: renders each error as `{"detail": …}` (ours as they are, the
/// router's by status, anything else as a 500), and discards what the client still sends of a
/// request body the handler did not read.
///
/// Why the discard: an upload refused early (401, 413, 415…) leaves body bytes unread. On a
/// `Connection: close` request Hummingbird then half-closes and waits for the peer, whose bytes
/// never get through: the socket would linger in FIN-WAIT-2 holding a descriptor. So the error
/// is written first (the client can stop sending at once) and the rest of the body is read and
/// dropped — no memory held — up to ``UnreadBody/discardLimit`` before the response ends.
struct EdgeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let body = UnreadBody(request.body)
        var request = request
        request.body = RequestBody(asyncSequence: body)
        let error: APIError
        do {
            return try await next(request, context)
        } catch let apiError as APIError {
            error = apiError
        } catch let httpError as HTTPError {
            switch httpError.status {
            case .notFound: error = .notFound
            case .methodNotAllowed: error = .invalid("Method Not Allowed")
            default: error = .invalid(httpError.body ?? "Bad Request")
            }
        } catch {
            context.logger.error("unhandled error", metadata: ["error_type": "\(type(of: error))"])
            throw APIError.internal
        }
        let json = error.jsonBody
        return Response(
            status: error.status,
            headers: error.headers,
            body: ResponseBody(contentLength: json.readableBytes) { writer in
                try await writer.write(json)
                await body.discardRest()
                try await writer.finish(nil)
            }
        )
    }
}

/// The request body, readable by the handler and afterwards by ``EdgeMiddleware``.
final class UnreadBody: AsyncSequence, @unchecked Sendable {
    // Read by one task at a time: the handler, then the response writer of the same request.
    typealias Element = ByteBuffer

    static let discardLimit = 64 << 20

    private var iterator: RequestBody.AsyncIterator
    private var finished = false

    init(_ body: RequestBody) {
        iterator = body.makeAsyncIterator()
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: UnreadBody

        func next() async throws -> ByteBuffer? { try await body.nextChunk() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }

    func nextChunk() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        let chunk = try await iterator.next()
        if chunk == nil { finished = true }
        return chunk
    }

    /// Reads and drops the rest, at most `limit` bytes; stops quietly on a closed connection.
    func discardRest(limit: Int = discardLimit) async {
        var discarded = 0
        while discarded <= limit, let chunk = try? await nextChunk() {
            discarded += chunk.readableBytes
        }
    }
}
