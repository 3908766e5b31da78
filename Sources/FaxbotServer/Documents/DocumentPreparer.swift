import FaxImaging
import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation

/// Turns a job's stored upload into what its transport sends: a checked TIFF-F for self-hosted
/// lines, a PDF for cloud providers. Every document goes through the isolated worker, which
/// renders, verifies and page-checks it, so `pages_total` is known before any call.
public struct DocumentPreparer: Sendable {
    public enum Result: Sendable, Equatable {
        /// `pages` is nil when the document was passed through unchecked (``TransportDocumentFormat/original``).
        case ready(path: String, kind: DocumentKind, pages: Int?)
        case rejected(String)
        case unavailable(String)
    }

    let spool: Spool
    let converter: IsolatedConverter
    let paper: PaperSize
    let fontPath: String?

    public init(spool: Spool, converter: IsolatedConverter, paper: PaperSize, fontPath: String?) {
        self.spool = spool
        self.converter = converter
        self.paper = paper
        self.fontPath = fontPath
    }

    /// The artifacts of a job, named by id next to its upload (mode 0600).
    static func artifacts(of jobID: String) -> (faxTIFF: String, pdf: String) {
        ("\(jobID).fax.tif", "\(jobID).fax.pdf")
    }

    public func prepare(_ job: Job, document: StoredDocument, for format: TransportDocumentFormat) async -> Result {
        let input = spool.path(of: document.path)
        if format == .original {
            return .ready(path: input, kind: document.kind, pages: nil)
        }
        let names = Self.artifacts(of: job.id)
        let faxTIFF = spool.path(of: names.faxTIFF)
        let wantsPDF = format == .pdf && document.kind != .pdf
        let request = ConversionJob(
            input: input, kind: document.kind, faxTIFF: faxTIFF, pdf: wantsPDF ? spool.path(of: names.pdf) : nil,
            resolution: job.resolution, paper: paper, fontPath: fontPath
        )
        switch await converter.convert(request) {
        case .converted(let pages):
            switch format {
            case .faxTIFF: return .ready(path: faxTIFF, kind: .tiff, pages: pages)
            case .pdf: return .ready(path: wantsPDF ? spool.path(of: names.pdf) : input, kind: .pdf, pages: pages)
            case .original: return .ready(path: input, kind: document.kind, pages: pages)
            }
        case .rejected(let reason):
            return .rejected(reason)
        case .unavailable(let reason):
            return .unavailable(reason)
        }
    }

    /// Removes a job's derived files once they are no longer needed; the upload itself stays.
    public func removeArtifacts(of jobID: String) {
        let names = Self.artifacts(of: jobID)
        for name in [names.faxTIFF, names.pdf] { unlink(spool.path(of: name)) }
    }
}
