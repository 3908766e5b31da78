import Foundation

/// Software fax calls between two spandsp endpoints, audio and T.38, with and without ECM, each
/// compared pixel for pixel with what was sent. Proves the DSP stack and a document end to end
/// without a phone line; every call has its own timer, so a selftest cannot hang.
public enum FaxSelftest {
    public struct Call: Sendable, Equatable {
        public var mode: FaxLoopback.Mode
        public var ecm: Bool
        public var result: LoopbackResult?
        /// Nil when the call succeeded and the pages arrived identical.
        public var problem: String?

        public var passed: Bool { problem == nil }
    }

    public struct Report: Sendable, Equatable {
        public var pages: Int
        public var calls: [Call]
        public var passed: Bool { !calls.isEmpty && calls.allSatisfy(\.passed) }
    }

    /// Sends `faxTIFF` through every call variant; received files go to `workDirectory`.
    public static func run(faxTIFF: String, pages: Int, workDirectory: String, timeLimit: Duration = .seconds(60 * 60)) async -> Report {
        var calls: [Call] = []
        for mode in FaxLoopback.Mode.allCases {
            for ecm in [false, true] {
                let received = (workDirectory as NSString).appendingPathComponent("selftest-\(mode.rawValue)-\(ecm ? "ecm" : "noecm").tif")
                let loopback = FaxLoopback(mode: mode, inputPath: faxTIFF, outputPath: received, ecm: ecm, timeLimit: timeLimit)
                calls.append(await call(loopback, pages: pages))
                unlink(received)
            }
        }
        return Report(pages: pages, calls: calls)
    }

    static func call(_ loopback: FaxLoopback, pages: Int) async -> Call {
        var call = Call(mode: loopback.mode, ecm: loopback.ecm)
        do {
            let result = try await loopback.runOnDedicatedThread()
            call.result = result
            if !result.succeeded {
                call.problem = "call failed: sender \(result.transmitter), receiver \(result.receiver)"
            } else if result.pagesReceived != pages {
                call.problem = "\(result.pagesReceived) of \(pages) pages arrived"
            } else {
                let comparison = try TIFFPixelComparison.pagesEqual(loopback.inputPath, loopback.outputPath)
                if let page = comparison.firstDifferingPage { call.problem = "page \(page) arrived different" }
            }
        } catch {
            call.problem = "\(error)"
        }
        return call
    }
}
