import FaxbotCore

/// What the conversion worker process is asked to do. Travels as one JSON argument; holds paths
/// named by job id only, never a client's filename.
public struct ConversionJob: Codable, Sendable, Equatable {
    public var input: String
    public var kind: DocumentKind
    /// Where the checked TIFF-F goes; always written, it is also how every document is verified.
    public var faxTIFF: String
    /// Where a PDF goes when one is wanted (cloud transports, inbound faxes); nil: no PDF.
    public var pdf: String?
    public var resolution: Resolution
    public var paper: PaperSize
    public var fontPath: String?
    /// Applied by the worker to itself before it reads the document.
    public var memoryLimitBytes: Int
    public var cpuLimitSeconds: Int

    public init(
        input: String, kind: DocumentKind, faxTIFF: String, pdf: String? = nil, resolution: Resolution = .fine, paper: PaperSize = .letter,
        fontPath: String? = TextToPDF.defaultFontPath, memoryLimitBytes: Int = 512 << 20, cpuLimitSeconds: Int = 120
    ) {
        self.input = input
        self.kind = kind
        self.faxTIFF = faxTIFF
        self.pdf = pdf
        self.resolution = resolution
        self.paper = paper
        self.fontPath = fontPath
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuLimitSeconds = cpuLimitSeconds
    }
}

/// How a conversion ended.
public enum ConversionOutcome: Codable, Sendable, Equatable {
    /// The TIFF-F (and PDF, when asked) are written and verified.
    case converted(pages: Int)
    /// The document cannot be faxed; the reason is for the sender.
    case rejected(reason: String)
    /// The converter itself could not run (not the document's fault): try again later.
    case unavailable(reason: String)
}
extension PaperSize: Codable {}
