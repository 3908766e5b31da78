import Crypto
import FaxbotCore
import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` fax submission, parsed while it streams in: small fields kept in
/// memory (at most 1 KiB each), the file written straight to the spool, counted, hashed, sniffed
/// and its PDF pages counted on the way. Only a text file's first MiB is kept, for its page
/// estimate; a PDF is never held in memory.
struct MultipartUpload {
    var fields: [String: String] = [:]
    var file: SpoolUpload?
    var fileSize = 0
    var fileSHA256 = ""
    var sniffer = DocumentSniffer()
    var pdfPages = PDFPageCounter()
    /// The first MiB of a file that is not a PDF, for a text's page estimate.
    var head: [UInt8] = []

    static let fieldLimit = 1024
    static let headLimit = 1 << 20

    /// Reads the whole body. Throws 413 as soon as the file passes `maxFileSize`.
    static func read(
        _ request: Request,
        spool: Spool,
        maxFileSize: Int,
        megabytes: Int
    ) async throws(APIError) -> MultipartUpload {
        guard let contentType = request.headers[.contentType], let boundary = boundary(in: contentType) else {
            throw .missingFields(["to", "file"])
        }
        let bodyLimit = maxFileSize + 64 * 1024
        if let length = request.headers[.contentLength].flatMap(Int.init), length > bodyLimit {
            throw .fileTooLarge(megabytes: megabytes)
        }
        var state = ParserState()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        var upload = MultipartUpload()
        var hasher = SHA256()
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > bodyLimit { throw APIError.fileTooLarge(megabytes: megabytes) }
                try parser.execute(chunk)
                if let error = state.error { throw error }
                try upload.drain(&state, &hasher, spool: spool, maxFileSize: maxFileSize, megabytes: megabytes)
            }
            guard state.finishedParts > 0, !state.inPart else { throw APIError.malformedBody }
        } catch let error as APIError {
            upload.file?.discard()
            throw error
        } catch {
            upload.file?.discard()
            throw .malformedBody
        }
        upload.fileSHA256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        upload.fields = state.fields
        return upload
    }

    private mutating func drain(
        _ state: inout ParserState,
        _ hasher: inout SHA256,
        spool: Spool,
        maxFileSize: Int,
        megabytes: Int
    ) throws(APIError) {
        if state.fileStarted, file == nil { file = try spool.beginUpload() }
        guard let file, !state.pendingFile.isEmpty else { return }
        for var buffer in state.pendingFile {
            fileSize += buffer.readableBytes
            if fileSize > maxFileSize { throw .fileTooLarge(megabytes: megabytes) }
            try buffer.withUnsafeReadableBytes { (bytes) throws(APIError) in
                hasher.update(bufferPointer: bytes)
                sniffer.feed(bytes)
                pdfPages.feed(bytes)
                if head.count < Self.headLimit, sniffer.verdict != .kind(.pdf) {
                    head.append(contentsOf: bytes.prefix(Self.headLimit - head.count))
                }
                try file.write(bytes)
            }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        state.pendingFile.removeAll(keepingCapacity: true)
    }

    static func boundary(in contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = part.dropFirst("boundary=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            guard !value.isEmpty, value.count <= 200 else { return nil }
            return String(value)
        }
        return nil
    }
}

/// What the synchronous parser callbacks collect between two chunks.
private struct ParserState {
    var fields: [String: String] = [:]
    var pendingFile: [ByteBuffer] = []
    var fileStarted = false
    var finishedParts = 0
    var inPart = false
    var error: APIError?
    private var currentName: String?
    private var currentIsFile = false
    private var currentValue: [UInt8] = []
    private var headerBytes = 0

    mutating func header(_ name: String, _ value: String) {
        inPart = true
        headerBytes += name.utf8.count + value.utf8.count
        if headerBytes > 8192 { error = .malformedBody }
        guard name.lowercased() == "content-disposition" else { return }
        let parameters = Self.parameters(value)
        currentName = parameters["name"]
        currentIsFile = currentName == "file"
        if currentIsFile {
            if fileStarted { error = .invalid("Only one file per fax") }
            fileStarted = true
        }
    }

    mutating func body(_ buffer: inout ByteBuffer) {
        inPart = true
        if currentIsFile {
            pendingFile.append(buffer)
        } else if currentName != nil {
            currentValue.append(contentsOf: buffer.readableBytesView)
            if currentValue.count > MultipartUpload.fieldLimit { error = .invalid("Form field '\(currentName ?? "")' is too long") }
        }
    }

    mutating func partComplete() {
        if let name = currentName, !currentIsFile {
            guard let text = String(validating: currentValue, as: UTF8.self) else {
                error = .invalid("Form field '\(name)' is not UTF-8 text")
                return
            }
            if fields[name] == nil { fields[name] = text }
        }
        finishedParts += 1
        inPart = false
        currentName = nil
        currentIsFile = false
        currentValue = []
        headerBytes = 0
    }

    /// `form-data; name="file"; filename="x.pdf"` → ["name": "file", "filename": "x.pdf"].
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in value.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            var value = Substring(pair[1])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            result[pair[0].lowercased()] = String(value)
        }
        return result
    }
}
