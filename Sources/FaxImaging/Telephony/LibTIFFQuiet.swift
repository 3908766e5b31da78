import CTIFF

/// Process-wide switch that stops libtiff printing warnings and errors to stderr.
///
/// spandsp opens TIFF files with plain `TIFFOpen`, so its libtiff diagnostics go to libtiff's
/// *global* handlers. Every entry point that opens a TIFF calls ``ensureSilenced()`` first.
enum LibTIFFQuiet {
    /// Lazily initialised exactly once (Swift globals use `swift_once`), so it is thread-safe.
    private static let silenced: Void = ctiff_silence_global_handlers()

    /// Installs the silent global error and warning handlers once per process.
    static func ensureSilenced() {
        silenced
    }
}
