import ESLSimulator
import FreeSWITCHESL
import NIOCore
import Testing

extension ESLTests {
    @Suite("ESLDecoder")
    struct ESLDecoderTests {
        private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

        /// Events per fixture, counted independently of the decoder.
        private static let eventCounts: [ESLFixture: Int] = [
            .success2Pages: 11, .busyUserBusy: 3, .busyRespond486: 3, .noAnswer: 3, .receiverHangupMidFax: 9,
            .receiverHangupBeforePage1: 7,
        ]

        @Test("every fixture decodes into greeting, replies, events, bye and disconnect notice", arguments: ESLFixture.allCases)
        func fixtureDecodes(_ fixture: ESLFixture) throws {
            let data = fixture.bytes
            let result = decodeAll([data[...]])
            #expect(result.error == nil)
            #expect(result.buffered == 0)
            let messages = try result.frames.map { try ESLMessage($0) }
            #expect(messages.first == .authRequest)
            #expect(messages.count == 4 + (Self.eventCounts[fixture] ?? -1) + 2)
            guard case .commandReply(let job) = messages[3] else {
                Issue.record("no bgapi reply")
                return
            }
            #expect(job["Reply-Text"] == "+OK Job-UUID: \(job["Job-UUID"] ?? "?")")
            #expect(messages.last == .disconnectNotice("Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"))
            let events = messages.compactMap { if case .event(let event) = $0 { event } else { nil } }
            #expect(events.count == Self.eventCounts[fixture])
            for event in events {
                #expect(event.name != nil)
                #expect(event.headers["Content-Length"] == nil)
            }
            let background = try #require(events.first { $0.name == "BACKGROUND_JOB" })
            #expect(background.jobUUID == job["Job-UUID"])
            #expect(background["Job-Command"] == "originate")
            #expect(background["Job-Command-Arg"]?.hasPrefix("{origination_uuid=") == true)
            #expect(background.body?.hasSuffix("\n") == true)
        }

        @Test("frames and events re-encode to the exact fixture bytes", arguments: ESLFixture.allCases)
        func byteExactRoundTrip(_ fixture: ESLFixture) throws {
            let frames = fixture.frames
            #expect(frames.flatMap { $0.encoded() } == fixture.bytes)
            for frame in frames where frame.contentType == "text/event-plain" {
                guard case .event(let event) = try ESLMessage(frame) else {
                    Issue.record("not an event")
                    continue
                }
                #expect(event.frame.encoded() == frame.encoded(), "\(event.name ?? "?")")
            }
        }

        @Test("random cuts give the same frames as one piece (200 seeded cut sets per fixture)", arguments: ESLFixture.allCases)
        func randomCuts(_ fixture: ESLFixture) {
            let data = fixture.bytes
            let whole = decodeAll([data[...]]).frames
            var generator = SeededGenerator(state: 0xE5_10_F5 &+ UInt64(data.count))
            for round in 0..<200 {
                let cutCount = round < 20 ? Int.random(in: 1...5, using: &generator) : Int.random(in: 5...600, using: &generator)
                let result = decodeAll(randomPieces(data, cuts: cutCount, using: &generator))
                #expect(result.frames == whole, "round \(round)")
                #expect(result.error == nil)
                #expect(result.buffered == 0)
            }
        }

        @Test("byte-at-a-time feeding gives the same frames")
        func byteAtATime() {
            let data = ESLFixture.receiverHangupMidFax.bytes
            let whole = decodeAll([data[...]]).frames
            #expect(decodeAll(data.indices.map { data[$0...$0] }).frames == whole)
        }

        @Test("a ByteBuffer feeds like bytes; CRLF line ends and stray blank lines are tolerated")
        func byteBufferAndCRLF() throws {
            var decoder = ESLDecoder()
            decoder.append(ByteBuffer(string: "\n\r\nContent-Type: command/reply\r\nReply-Text: +OK accepted\r\n\r\n\n"))
            decoder.append(ByteBuffer(string: "Content-Type: api/response\nContent-Length: 5\n\ntrue\n"))
            let reply = try #require(try decoder.next())
            #expect(reply.headers == ["Content-Type": "command/reply", "Reply-Text": "+OK accepted"])
            #expect(reply.body == nil)
            let api = try #require(try decoder.next())
            #expect(try ESLMessage(api) == .apiResponse("true\n"))
            #expect(try decoder.next() == nil)
        }

        @Test("outer header values stay as received; event values are URL-decoded")
        func decodingScope() throws {
            let frame = ESLFrame(headers: ["Content-Type": "command/reply", "Reply-Text": "-ERR 100%25 wrong"])
            guard case .commandReply(let headers) = try ESLMessage(frame) else {
                Issue.record("not a reply")
                return
            }
            #expect(headers["Reply-Text"] == "-ERR 100%25 wrong")
            let event = try ESLEvent(
                plain: bytes("Event-Name: CUSTOM\nEvent-Subclass: spandsp%3A%3Atxfaxresult\nfax-result-text: The%20call%20dropped%20prematurely\n\n"))
            #expect(event.subclass == "spandsp::txfaxresult")
            #expect(event["fax-result-text"] == "The call dropped prematurely")
        }

        @Test("URL decoding follows switch_url_decode: %XX either case, '+' kept, stray '%' kept, UTF-8")
        func urlDecoding() {
            #expect(ESLURLCoding.decode("spandsp%3A%3Atxfaxresult") == "spandsp::txfaxresult")
            #expect(ESLURLCoding.decode("spandsp%3a%3arxfaxresult") == "spandsp::rxfaxresult")
            #expect(ESLURLCoding.decode("+OK a+b") == "+OK a+b")
            #expect(ESLURLCoding.decode("%2B1555%20123") == "+1555 123")
            #expect(ESLURLCoding.decode("100%") == "100%")
            #expect(ESLURLCoding.decode("%4") == "%4")
            #expect(ESLURLCoding.decode("%zz%") == "%zz%")
            #expect(ESLURLCoding.decode("caf%C3%A9") == "café")
            #expect(ESLURLCoding.decode("bad%FFbyte") == "bad\u{FFFD}byte")
            #expect(ESLURLCoding.decode("Sun,%2029%20Nov%202026%2022%3A21%3A58%20GMT") == "Sun, 29 Nov 2026 22:21:58 GMT")
        }

        @Test("URL encoding matches FreeSWITCH's and round-trips")
        func urlEncoding() {
            let arg = "{origination_uuid=54f52136,fax_ident=TX}loopback/9100/default &txfax(/var/spool/faxbot/outgoing/2page.tif)"
            #expect(
                ESLURLCoding.encode(arg)
                    == "%7Borigination_uuid%3D54f52136,fax_ident%3DTX%7Dloopback/9100/default%20%26txfax(/var/spool/faxbot/outgoing/2page.tif)"
            )
            #expect(ESLURLCoding.encode("fd00::2") == "fd00%3A%3A2")
            for text in ["+1 (555) 123-4567", "a%41b", "naïve ✓\n\t\"q\"", "x=y&z;w?#[]{}|^`\\<>@", ""] {
                #expect(ESLURLCoding.decode(ESLURLCoding.encode(text)) == text)
            }
        }

        @Test("an event's nested body is cut by its inner Content-Length")
        func nestedBody() throws {
            let text = "Event-Name: BACKGROUND_JOB\nJob-UUID: j-1\nJob-Command: originate\nContent-Length: 15\n\n-ERR USER_BUSY\n"
            let event = try ESLEvent(plain: bytes(text))
            #expect(event.name == "BACKGROUND_JOB")
            #expect(event.jobUUID == "j-1")
            #expect(event.body == "-ERR USER_BUSY\n")
            #expect(event.headers.count == 3)
            #expect(event.encodedPlain() == bytes(text))
            let extra = try ESLEvent(plain: bytes("Event-Name: X\nContent-Length: 2\n\nokIGNORED"))
            #expect(extra.body == "ok")
            #expect(throws: ESLProtocolError.self) { try ESLEvent(plain: self.bytes("Event-Name: X\nContent-Length: 50\n\nshort")) }
            #expect(throws: ESLProtocolError.self) { try ESLEvent(plain: self.bytes("Event-Name: X\nContent-Length: -1\n\n")) }
            #expect(throws: ESLProtocolError.self) { try ESLEvent(plain: self.bytes("no colon here\n\n")) }
            #expect(throws: ESLProtocolError.self) { try ESLEvent(plain: [UInt8]()) }
        }

        @Test(
            "hostile Content-Length values are errors, never allocations",
            arguments: ["99999999999", "18446744073709551616", "-5", "12abc", "", "1 2", "0x10", "1e3", "999999999999999999999999"]
        )
        func hostileContentLength(_ value: String) {
            var decoder = ESLDecoder(maxFrameBytes: 1 << 20)
            decoder.append(bytes("Content-Type: api/response\nContent-Length: \(value)\n\nbody"))
            #expect(throws: ESLProtocolError.self) { try decoder.next() }
            #expect(decoder.bufferedByteCount == 0)
            #expect(decoder.error != nil)
        }

        @Test("a Content-Length over the limit is refused before any body arrives")
        func oversizedBody() {
            var decoder = ESLDecoder(maxFrameBytes: 64 * 1024)
            decoder.append(bytes("Content-Type: text/event-plain\nContent-Length: 65537\n\n"))
            #expect(throws: ESLProtocolError.frameTooLarge(limit: 64 * 1024)) { try decoder.next() }
            decoder.append([UInt8](repeating: 65, count: 100_000))
            #expect(decoder.bufferedByteCount == 0)
            #expect(throws: ESLProtocolError.frameTooLarge(limit: 64 * 1024)) { try decoder.next() }
        }

        @Test("an endless header block is an error once it passes the limit; later input is discarded")
        func endlessHeaders() {
            var decoder = ESLDecoder(maxFrameBytes: 4096)
            var errors = 0
            for index in 0..<2000 {
                decoder.append(bytes("X-Header-\(index): value\n"))
                if (try? decoder.next()) == nil, decoder.error != nil { errors += 1 }
                #expect(decoder.bufferedByteCount <= 4096 + 32)
            }
            #expect(errors > 0)
            let line = [UInt8](repeating: 66, count: 100_000)
            var other = ESLDecoder(maxFrameBytes: 4096)
            other.append(line)
            #expect(throws: ESLProtocolError.frameTooLarge(limit: 4096)) { try other.next() }
            other.append(line)
            #expect(other.bufferedByteCount == 0)
        }

        @Test("NUL bytes and lines without a colon in a header block are errors")
        func malformedHeaders() {
            for text in ["Content-Type: command/reply\nReply-Text: +OK\u{0}\n\n", "garbage line\n\n", ": no name\n\n"] {
                var decoder = ESLDecoder()
                decoder.append(bytes(text))
                #expect(throws: ESLProtocolError.self) { try decoder.next() }
            }
            var decoder = ESLDecoder()
            decoder.append(bytes("Content-Type: api/response\nContent-Length: 3\n\na\u{0}b"))
            #expect((try? decoder.next())??.body == [97, 0, 98])
        }

        @Test("a truncated stream yields the complete frames and keeps the partial one")
        func truncated() {
            let data = ESLFixture.success2Pages.bytes
            let whole = decodeAll([data[...]]).frames
            for cut in [data.count - 1, data.count - 100, data.count / 2, 7] {
                let result = decodeAll([data[..<cut]])
                #expect(result.error == nil)
                #expect(result.frames == Array(whole.prefix(result.frames.count)))
                #expect(result.frames.count < whole.count)
                #expect(result.buffered > 0)
            }
        }

        @Test("random garbage never crashes and memory stays bounded")
        func garbage() {
            var generator = SeededGenerator(state: 42)
            for round in 0..<30 {
                let size = Int.random(in: 1...200_000, using: &generator)
                let data = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let limit = 4096
                var decoder = ESLDecoder(maxFrameBytes: limit)
                var start = 0
                while start < data.count {
                    let end = min(data.count, start + Int.random(in: 1...9000, using: &generator))
                    decoder.append(data[start..<end])
                    start = end
                    while let frame = try? decoder.next() { _ = try? ESLMessage(frame) }
                    #expect(decoder.bufferedByteCount <= limit + 9000, "round \(round)")
                }
            }
        }
    }
}
