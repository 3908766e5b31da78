import FaxImaging
import Foundation
import Testing

/// Paths and tools the pipeline tests share.
enum PipelineSupport {
    /// The `faxbot` executable built next to the test bundle: the conversion worker.
    static var faxbotExecutable: String {
        get throws {
            let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var directory = URL(fileURLWithPath: bundle).deletingLastPathComponent()
            // The runner may live inside `faxbotPackageTests.xctest/`.
            for _ in 0..<3 {
                let candidate = directory.appendingPathComponent("faxbot").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            throw MissingExecutable()
        }
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var description: String { "the faxbot executable is not built next to the tests (run `swift build --build-tests`)" }
    }

    /// Runs a tool and returns its exit status and standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every page's tags.
    static func pages(of path: String) throws -> [TIFFPageInfo] {
        let reader = try TIFFReader(path: path)
        return try (0..<reader.pageCount).map { try reader.info(page: $0) }
    }

    /// File mode bits.
    static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
