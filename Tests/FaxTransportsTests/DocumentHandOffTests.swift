import FaxTransports
import FaxbotCore
import Foundation
import Testing

@Suite struct DocumentHandOffTests {
    @Test func theCopyIsNamedByAttemptReadableByTheGroupAndRemovedAfterwards() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("handoff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = (directory as NSString).appendingPathComponent("private.tif")
        try Data("II*\0page".utf8).write(to: URL(fileURLWithPath: source))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: source)
        let shared = (directory as NSString).appendingPathComponent("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)

        let copy = try DocumentHandOff.copy(source, into: shared, as: "fbtx-abc-1")
        #expect(copy == shared + "/fbtx-abc-1.tif")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data("II*\0page".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared) == ["fbtx-abc-1.tif"])
        DocumentHandOff.remove(from: shared, name: "fbtx-abc-1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
    }

    @Test func aMissingDirectoryIsATransportProblemNotASentFax() {
        #expect {
            _ = try DocumentHandOff.copy("/nonexistent/a.tif", into: "/nonexistent/shared", as: "x")
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.cause == .transportUnavailable && !error.mayHaveBeenSent
        }
    }
}
