import CGhostscript
import Foundation

/// One Ghostscript run inside this process: a fresh instance, every `gsapi_*` call on the calling
/// thread, stdout and stderr captured (Ghostscript reports PDF errors on both).
///
/// Only the conversion worker process calls this: untrusted PDFs never run inside the daemon.
public enum GhostscriptRun {
    public struct Outcome: Sendable, Equatable {
        /// `gsapi_init_with_args`'s code; 0 and `gs_error_Quit` mean success.
        public var code: Int32
        /// What Ghostscript printed, truncated to the first 16 KiB.
        public var output: String

        public var succeeded: Bool { code == 0 || code == gs_error_Quit.rawValue }
    }

    /// Runs Ghostscript with `arguments` (without the leading program name).
    public static func run(_ arguments: [String]) -> Outcome {
        var instance: UnsafeMutableRawPointer?
        let created = gsapi_new_instance(&instance, nil)
        guard created >= 0, let instance else { return Outcome(code: created, output: "gsapi_new_instance failed") }
        defer { gsapi_delete_instance(instance) }
        let capture = OutputCapture()
        let handle = Unmanaged.passRetained(capture)
        defer { handle.release() }
        _ = gsapi_set_stdio_with_handle(instance, readNothing, capturePrint, capturePrint, handle.toOpaque())
        _ = gsapi_set_arg_encoding(instance, Int32(GS_ARG_ENCODING_UTF8))
        var argv: [UnsafeMutablePointer<CChar>?] = (["gs"] + arguments).map { strdup($0) }
        defer { for argument in argv { free(argument) } }
        let code = argv.withUnsafeMutableBufferPointer { gsapi_init_with_args(instance, Int32($0.count), $0.baseAddress) }
        let exitCode = gsapi_exit(instance)
        let final = code == 0 || code == gs_error_Quit.rawValue ? exitCode : code
        return Outcome(code: final == gs_error_Quit.rawValue ? 0 : final, output: capture.text)
    }

    /// The linked Ghostscript's revision (e.g. 10000 for 10.0.0), or nil when the library does
    /// not answer. Safe to call at any time; parses no document.
    public static func revision() -> Int? {
        var revision = gsapi_revision_t()
        guard gsapi_revision(&revision, Int32(MemoryLayout<gsapi_revision_t>.size)) == 0 else { return nil }
        return revision.revision
    }

    /// A name for a Ghostscript error code (`gs_error_names` is an incomplete C array Swift cannot read).
    public static func errorName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            -1: "unknownerror", -2: "dictfull", -3: "dictstackoverflow", -4: "dictstackunderflow", -5: "execstackoverflow",
            -6: "interrupt", -7: "invalidaccess", -8: "invalidexit", -9: "invalidfileaccess", -10: "invalidfont",
            -11: "invalidrestore", -12: "ioerror", -13: "limitcheck", -14: "nocurrentpoint", -15: "rangecheck",
            -16: "stackoverflow", -17: "stackunderflow", -18: "syntaxerror", -19: "timeout", -20: "typecheck",
            -21: "undefined", -22: "undefinedfilename", -23: "undefinedresult", -24: "unmatchedmark", -25: "VMerror",
            -100: "Fatal", -101: "Quit",
        ]
        return names[code] ?? "error \(code)"
    }
}

/// Collects what one instance prints. Confined to the thread that runs the instance.
private final class OutputCapture: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private static let limit = 16 * 1024

    func append(_ pointer: UnsafePointer<CChar>, _ count: Int) {
        guard bytes.count < Self.limit else { return }
        let take = min(count, Self.limit - bytes.count)
        pointer.withMemoryRebound(to: UInt8.self, capacity: take) { bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: take)) }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

private let readNothing: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32 = { _, _, _ in 0 }

private let capturePrint: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { handle, text, length in
    if let handle, let text, length > 0 {
        Unmanaged<OutputCapture>.fromOpaque(handle).takeUnretainedValue().append(text, Int(length))
    }
    return length
}
