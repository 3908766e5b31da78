import FaxImaging
import FaxbotCore
import Foundation
import Testing

/// Black-and-white TIFF uploads and received faxes brought to fax geometry.
@Suite struct TIFFToFaxTIFFTests {
    /// A page with a black frame one pixel in from each edge and a diagonal.
    static func page(width: Int, height: Int, x: Double = 204, y: Double = 196) -> BilevelImage {
        var image = BilevelImage(width: width, height: height, xResolution: x, yResolution: y)
        for column in 1..<(width - 1) {
            image.setBlack(x: column, y: 1)
            image.setBlack(x: column, y: height - 2)
        }
        for row in 1..<(height - 1) {
            image.setBlack(x: 1, y: row)
            image.setBlack(x: min(width - 2, 1700), y: row)
            image.setBlack(x: row * (width - 1) / height, y: row)
        }
        return image
    }

    @Test func aFaxShapedPageIsCopiedPixelForPixel() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let source = fixtures.output("in.tif").path
        let original = Self.page(width: 1728, height: 500)
        try FaxTIFFWriter.write([original, original], to: source, compression: .mh)
        let output = fixtures.output("out.tif").path
        #expect(try TIFFToFaxTIFF.convert(tiff: source, output: output, resolution: .fine) == 2)
        let reader = try TIFFReader(path: output)
        #expect(try reader.readBilevel(page: 1) == original)
        #expect(try PipelineSupport.pages(of: output).map { $0.pageNumber?.total } == [2, 2])
    }

    @Test func a1734PixelPageIsCroppedTo1728() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let source = fixtures.output("in.tif").path
        let wide = Self.page(width: 1734, height: 300)
        try FaxTIFFWriter.write([wide], to: source)
        let output = fixtures.output("out.tif").path
        _ = try TIFFToFaxTIFF.convert(tiff: source, output: output, resolution: .fine)
        let page = try TIFFReader(path: output).readBilevel(page: 0)
        #expect(page.width == 1728)
        #expect(page.height == 300)
        #expect(page.isBlack(x: 1700, y: 150))
        #expect(page.isBlack(x: 1, y: 150))
        #expect(try T4PageCheck.check(path: output).map(\.width) == [1728])
    }

    @Test func aStandardPageSentAsFineKeepsItsAspect() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let source = fixtures.output("in.tif").path
        try FaxTIFFWriter.write([Self.page(width: 1728, height: 1078, y: 98)], to: source)
        let output = fixtures.output("out.tif").path
        _ = try TIFFToFaxTIFF.convert(tiff: source, output: output, resolution: .fine)
        let info = try TIFFReader(path: output).info(page: 0)
        #expect(info.height == 2156)
        #expect(info.yResolution == 196)
        // nil keeps each page's own resolution, as a received fax needs.
        _ = try TIFFToFaxTIFF.convert(tiff: source, output: output, resolution: nil)
        #expect(try TIFFReader(path: output).info(page: 0).height == 1078)
    }

    @Test func aLandscapePageIsScaledToTheFaxWidth() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let source = fixtures.output("in.tif").path
        try FaxTIFFWriter.write([Self.page(width: 2244, height: 1666)], to: source)
        let output = fixtures.output("out.tif").path
        _ = try TIFFToFaxTIFF.convert(tiff: source, output: output, resolution: .fine)
        let info = try TIFFReader(path: output).info(page: 0)
        #expect(info.width == 1728)
        #expect(info.height == Int((1666.0 * 1728 / 2244).rounded()))
    }

    @Test func aGrayscaleTIFFIsRejectedWithAReason() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let gray = try fixtures.grayscale()
        #expect {
            try TIFFToFaxTIFF.convert(tiff: gray.path, output: fixtures.output("out.tif").path, resolution: .fine)
        } throws: { error in
            (error as? DocumentRejection)?.reason.hasPrefix("page 1 is grayscale or colour (8 bits per pixel)") == true
        }
    }

    @Test(arguments: [Data(), Data("II*\0garbage".utf8), Data([0x4D, 0x4D, 0x00, 0x2A, 0xFF, 0xFF, 0xFF, 0xFF])])
    func aBrokenTIFFIsRejected(content: Data) throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let source = fixtures.output("in.tif")
        try content.write(to: source)
        #expect(throws: DocumentRejection.self) {
            try TIFFToFaxTIFF.convert(tiff: source.path, output: fixtures.output("out.tif").path, resolution: .fine)
        }
    }
}
