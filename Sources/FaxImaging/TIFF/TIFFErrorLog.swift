import CTIFF
import Foundation

/// Collects libtiff's messages for one handle, so a hostile file's problems become a rejection
/// reason instead of lines on the daemon's stderr.
final class TIFFErrorLog: @unchecked Sendable {
    private(set) var messages: [String] = []

    /// The first message, or a fallback.
    func summary(_ fallback: String) -> String {
        messages.first.map { String($0.prefix(200)) } ?? fallback
    }

    fileprivate func record(_ message: String) {
        if messages.count < 8 { messages.append(message) }
    }

    /// Opens `path` with this log as its error handler; warnings are dropped.
    func open(_ path: String, mode: String) -> OpaquePointer? {
        guard let options = TIFFOpenOptionsAlloc() else { return nil }
        defer { TIFFOpenOptionsFree(options) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        TIFFOpenOptionsSetErrorHandlerExtR(options, recordTIFFError, context)
        TIFFOpenOptionsSetWarningHandlerExtR(options, ignoreTIFFWarning, context)
        // A single allocation larger than this is a hostile or broken file, not a fax page.
        TIFFOpenOptionsSetMaxSingleMemAlloc(options, 256 * 1024 * 1024)
        return TIFFOpenExt(path, mode, options)
    }
}

private let recordTIFFError: TIFFErrorHandlerExtR = { _, context, _, format, arguments in
    guard let context, let format, let arguments else { return 1 }
    var buffer = [CChar](repeating: 0, count: 512)
    _ = vsnprintf(&buffer, buffer.count, format, arguments)
    let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    Unmanaged<TIFFErrorLog>.fromOpaque(context).takeUnretainedValue().record(message)
    return 1
}

private let ignoreTIFFWarning: TIFFErrorHandlerExtR = { _, _, _, _, _ in 1 }
