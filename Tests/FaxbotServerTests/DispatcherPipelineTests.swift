import FaxImaging
import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Testing

@testable import FaxbotServer

/// The dispatcher preparing documents for a self-hosted line: real conversion in the worker
/// process (the built `faxbot` binary), real spandsp page check, before any call.
@Suite(.timeLimit(.minutes(2))) struct DispatcherPipelineTests {
    static var converter: String {
        get throws {
            let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var directory = URL(fileURLWithPath: bundle).deletingLastPathComponent()
            for _ in 0..<3 {
                let candidate = directory.appendingPathComponent("faxbot").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            throw DispatcherFixture.FixtureError.notCreated
        }
    }

    static let twoPagesOfText: [UInt8] = Array((String(repeating: "Referral letter line.\n", count: 60) + "Page two.\n").utf8)

    @Test func aTextFaxIsRenderedCheckedAndDeliveredWithItsRealPageCount() async throws {
        let fixture = try DispatcherFixture(documentFormat: .faxTIFF, converter: try Self.converter)
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551230000", document: Self.twoPagesOfText, kind: .text)
            try await fixture.eventually("prepared") { (try? await fixture.job(job))?.pagesTotal == 2 }
            let artifact = (fixture.spoolDirectory as NSString).appendingPathComponent("\(job.id).fax.tif")
            #expect(try T4PageCheck.check(path: artifact).count == 2)
            let mode = try FileManager.default.attributesOfItem(atPath: artifact)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            try await fixture.advance(by: 1, whenSleepers: 2)
            try await fixture.eventually("delivered") { await fixture.status(job) == .delivered }
            let done = try await fixture.job(job)
            #expect(done.pagesSent == 2)
            let events = await fixture.store.events(jobID: job.id)
            #expect(events.map(\.event) == ["accepted", "claim", "prepared", "submitted", "progress", "progress", "completed"])
            #expect(events[2].detail == "document prepared and checked: 2 page(s)")
            // The derived TIFF-F goes with the attempt; the upload stays with the job.
            #expect(!FileManager.default.fileExists(atPath: artifact))
            #expect(FileManager.default.fileExists(atPath: (fixture.spoolDirectory as NSString).appendingPathComponent("\(job.id).txt")))
        }
    }

    @Test func aCloudTransportIsHandedAPDFMadeFromATIFFUpload() async throws {
        let fixture = try DispatcherFixture(documentFormat: .pdf, converter: try Self.converter)
        try await withDispatcher(fixture) {
            var page = BilevelImage(width: 1728, height: 1078, xResolution: 204, yResolution: 98)
            for x in 100..<1600 { page.setBlack(x: x, y: 500) }
            let upload = (fixture.directory as NSString).appendingPathComponent("upload.tif")
            try FaxTIFFWriter.write([page, page, page], to: upload, compression: .mh)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: upload)))
            let job = try await fixture.submit("+15551230000", document: bytes, kind: .tiff)
            try await fixture.eventually("prepared") { (try? await fixture.job(job))?.pagesTotal == 3 }
            let pdf = (fixture.spoolDirectory as NSString).appendingPathComponent("\(job.id).fax.pdf")
            let qpdf = Process()
            qpdf.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
            qpdf.arguments = ["--check", pdf]
            qpdf.standardOutput = FileHandle.nullDevice
            try qpdf.run()
            qpdf.waitUntilExit()
            #expect(qpdf.terminationStatus == 0)
            let mode = try FileManager.default.attributesOfItem(atPath: pdf)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            try await fixture.advance(by: 1, whenSleepers: 2)
            try await fixture.eventually("delivered") { await fixture.status(job) == .delivered }
            #expect(!FileManager.default.fileExists(atPath: pdf))
        }
    }

    @Test func aDocumentThatCannotBeRenderedFailsBeforeAnyCall() async throws {
        let fixture = try DispatcherFixture(documentFormat: .faxTIFF, converter: try Self.converter)
        try await withDispatcher(fixture) {
            let broken = Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
            let job = try await fixture.submit("+15551230000", document: broken, kind: .pdf)
            try await fixture.eventually("failed") { await fixture.status(job) == .failed }
            let done = try await fixture.job(job)
            #expect(done.failureCause == .documentRejected)
            #expect(done.attempts == 1)
            #expect(done.error?.hasPrefix("The document could not be prepared for faxing: the PDF") == true)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 0)
            let events = await fixture.store.events(jobID: job.id).map(\.event)
            #expect(events == ["accepted", "claim", "failed"])
        }
    }

    @Test func aMissingConverterIsRetriedLaterNotBlamedOnTheDocument() async throws {
        let fixture = try DispatcherFixture(documentFormat: .faxTIFF, converter: "/nonexistent/faxbot")
        try await withDispatcher(fixture) {
            let job = try await fixture.submit("+15551230000", document: Self.twoPagesOfText, kind: .text)
            try await fixture.eventually("requeued") { (try? await fixture.job(job))?.failureCause == .transportUnavailable }
            let waiting = try await fixture.job(job)
            #expect(waiting.status == .queued)
            #expect(waiting.nextAttemptAt != nil)
            #expect(await fixture.transport.transmissionCount(jobID: job.id) == 0)
        }
    }
}
