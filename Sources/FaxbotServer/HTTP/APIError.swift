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
    case emptyFile
    /// FastAPI's 422 shape: the names of missing form fields.
    case missingFields([String])
    case invalid(String)
    case malformedBody
    case idempotencyConflict
    case conflict(String)
    case unavailable(String)
    case `internal`

    public var status: HTTPResponse.Status {
        switch self {
        case .badNumber, .emptyFile, .invalid, .malformedBody: .badRequest
        case .unauthorized: .unauthorized
        case .insufficientScope: .forbidden
        case .jobNotFound, .notFound: .notFound
        case .fileTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .missingFields, .idempotencyConflict: .unprocessableContent
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
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
        case .emptyFile: "File is empty"
        case .missingFields: "Field required"
        case .invalid(let message): message
        case .malformedBody: "There was an error parsing the body"
        case .idempotencyConflict: "Idempotency-Key was already used with a different request"
        case .conflict(let message): message
        case .unavailable(let message): message
        case .internal: "Internal Server Error"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
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
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// Turns every error into `{"detail": …}`: ours as they are, the router's by status, anything else as a 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw APIError.notFound
            case .contentTooLarge: throw APIError.invalid("Request body too large")
            case .methodNotAllowed: throw APIError.invalid("Method Not Allowed")
            default: throw APIError.invalid(error.body ?? "Bad Request")
            }
        } catch {
            context.logger.error("unhandled error", metadata: ["error_type": "\(type(of: error))"])
            throw APIError.internal
        }
    }
}
