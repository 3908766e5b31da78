import AMISimulator
import AsteriskAMI
import NIOCore
import Testing

@Suite("AMIDecoder")
struct AMIDecoderTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func packetCount(_ data: [UInt8]) -> Int {
        var count = 0
        var index = 3
        while index < data.count {
            if data[index - 3] == 13 && data[index - 2] == 10 && data[index - 1] == 13 && data[index] == 10 { count += 1 }
            index += 1
        }
        return count
    }

    @Test("every fixture parses into a banner and well-formed packets", arguments: AMIFixture.allCases)
    func fixtureParses(_ fixture: AMIFixture) {
        let data = fixture.bytes
        let result = decodeAll([data[...]])
        #expect(result.errors.isEmpty)
        #expect(result.buffered == 0)
        #expect(result.frames.first == .banner("Asterisk Call Manager/11.0.0"))
        let messages = result.frames.dropFirst().compactMap { frame -> AMIMessage? in
            if case .message(let message) = frame { return message }
            return nil
        }
        #expect(messages.count == result.frames.count - 1)
        #expect(messages.count == packetCount(data))
        for message in messages {
            #expect(message.event != nil || message.response != nil)
            #expect(message.output.isEmpty)
        }
        let fieldLines = messages.reduce(0) { $0 + $1.fields.count }
        let lines = data.split(separator: 10, omittingEmptySubsequences: false).count - 1
        #expect(fieldLines + messages.count + 1 == lines)
    }

    @Test("random cuts give the same frames as one piece", arguments: AMIFixture.allCases)
    func randomCuts(_ fixture: AMIFixture) {
        let data = fixture.bytes
        let whole = decodeAll([data[...]]).frames
        var generator = SeededGenerator(state: 0xFA_C5_B0_70 &+ UInt64(data.count))
        for round in 0..<60 {
            let cutCount = round < 10 ? Int.random(in: 1...5, using: &generator) : Int.random(in: 5...400, using: &generator)
            var cuts = Set<Int>()
            while cuts.count < cutCount { cuts.insert(Int.random(in: 1..<data.count, using: &generator)) }
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            for cut in cuts.sorted() {
                pieces.append(data[start..<cut])
                start = cut
            }
            pieces.append(data[start...])
            let result = decodeAll(pieces)
            #expect(result.frames == whole, "round \(round)")
            #expect(result.errors.isEmpty)
        }
    }

    @Test("byte-at-a-time feeding, cutting every CRLF, gives the same frames")
    func byteAtATime() {
        let data = AMIFixture.receiverHangup.bytes
        let whole = decodeAll([data[...]]).frames
        let pieces = data.indices.map { data[$0...$0] }
        #expect(decodeAll(pieces).frames == whole)
    }

    @Test("a ByteBuffer feeds like bytes")
    func byteBufferOverload() throws {
        var decoder = AMIDecoder()
        decoder.append(ByteBuffer(string: "Response: Success\r\nActionID: 7\r\nPing: Pong\r\n\r\n"))
        let frame = try decoder.next()
        guard case .message(let message) = frame else {
            Issue.record("no message")
            return
        }
        #expect(message.response == "Success")
        #expect(message.actionID == "7")
    }

    @Test("repeated keys are kept in order; lookups ignore case")
    func repeatedKeys() throws {
        var decoder = AMIDecoder()
        decoder.append(bytes("Event: VarSet\r\nVariable: A\r\nvariable: B\r\nVARIABLE: C\r\n\r\n"))
        guard case .message(let message) = try decoder.next() else {
            Issue.record("no message")
            return
        }
        #expect(message.values("Variable") == ["A", "B", "C"])
        #expect(message["variable"] == "A")
        #expect(message.event == "VarSet")
        #expect(message.fields.map(\.key) == ["Event", "Variable", "variable", "VARIABLE"])
    }

    @Test("empty values and spacing around the colon")
    func emptyValues() throws {
        var decoder = AMIDecoder()
        decoder.append(bytes("Event: Newchannel\r\nAccountCode: \r\nLanguage:\r\nKey:value\r\n  Padded  :   spaced value \r\n\r\n"))
        guard case .message(let message) = try decoder.next() else {
            Issue.record("no message")
            return
        }
        #expect(message["AccountCode"] == "")
        #expect(message["Language"] == "")
        #expect(message["Key"] == "value")
        #expect(message["Padded"] == "spaced value ")
        #expect(message["Missing"] == nil)
    }

    @Test("Response: Follows keeps its body, blank lines included, up to --END COMMAND--")
    func followsBody() throws {
        var decoder = AMIDecoder()
        let text =
            "Response: Follows\r\nPrivilege: Command\r\nActionID: cmd-1\r\n"
            + "Channel              Location\nLocal/s@fax-rx: up\n\n3 active channels\n--END COMMAND--\r\n\r\n"
            + "Response: Success\r\nActionID: cmd-2\r\nMessage: Command output follows\r\nOutput: line one\r\nOutput: line two\r\n\r\n"
            + "Response: Follows\r\nActionID: cmd-3\r\nlast line--END COMMAND--\r\n\r\n"
        decoder.append(bytes(text))
        guard case .message(let old) = try decoder.next(), case .message(let new) = try decoder.next(),
            case .message(let glued) = try decoder.next()
        else {
            Issue.record("missing messages")
            return
        }
        #expect(old.response == "Follows")
        #expect(old.actionID == "cmd-1")
        #expect(old["Privilege"] == "Command")
        #expect(old.output == ["Channel              Location", "Local/s@fax-rx: up", "", "3 active channels"])
        #expect(new.output == ["line one", "line two"])
        #expect(new.values("Output").count == 2)
        #expect(glued.output == ["last line"])
        #expect(try decoder.next() == nil)
    }

    @Test("bare LF framing equals CRLF framing")
    func bareLF() {
        let crlf = AMIFixture.success2Pages.bytes
        let lf = crlf.filter { $0 != 13 }
        #expect(decodeAll([lf[...]]).frames == decodeAll([crlf[...]]).frames)
    }

    @Test("a stream without a banner starts with a message; stray blank lines are skipped")
    func noBanner() throws {
        var decoder = AMIDecoder()
        decoder.append(bytes("\r\n\r\nEvent: A\r\n\r\n\r\n\r\nEvent: B\r\n\r\n"))
        #expect(try decoder.next() == .message(AMIMessage([AMIField("Event", "A")])))
        #expect(try decoder.next() == .message(AMIMessage([AMIField("Event", "B")])))
        #expect(try decoder.next() == nil)
    }

    @Test("lines without a colon, NUL bytes and invalid UTF-8 are kept, not fatal")
    func oddLines() throws {
        var decoder = AMIDecoder()
        decoder.append(bytes("Event: Odd\r\njust some text\r\n: no key\r\nNul: a"))
        decoder.append([0, 0xFF, 0x62])
        decoder.append(bytes("\r\n\r\n"))
        guard case .message(let message) = try decoder.next() else {
            Issue.record("no message")
            return
        }
        #expect(message.output == ["just some text", ": no key"])
        #expect(message["Nul"] == "a\u{0}\u{FFFD}b")
    }

    @Test("binary garbage never crashes and memory stays bounded")
    func garbage() {
        var generator = SeededGenerator(state: 42)
        for round in 0..<20 {
            let size = Int.random(in: 1...200_000, using: &generator)
            let data = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let limit = 4096
            var decoder = AMIDecoder(maxMessageBytes: limit)
            var start = 0
            while start < data.count {
                let end = min(data.count, start + Int.random(in: 1...9000, using: &generator))
                decoder.append(data[start..<end])
                start = end
                while true {
                    guard let frame = try? decoder.next() else { break }
                    _ = frame
                }
                #expect(decoder.bufferedByteCount <= limit, "round \(round)")
            }
        }
    }

    @Test("a 2 MB line without CRLF is an error, not memory growth; decoding resumes after the packet")
    func oversizedLine() throws {
        var decoder = AMIDecoder(maxMessageBytes: 1 << 20)
        decoder.append(bytes("Event: Huge\r\nData: "))
        let chunk = [UInt8](repeating: 65, count: 64 * 1024)
        var errors = 0
        for _ in 0..<32 {
            decoder.append(chunk)
            #expect(decoder.bufferedByteCount <= 1 << 20)
            do {
                while try decoder.next() != nil {}
            } catch {
                #expect(error == .messageTooLarge(limit: 1 << 20))
                errors += 1
            }
        }
        #expect(errors == 1)
        #expect(decoder.bufferedByteCount == 0)
        decoder.append(bytes("\r\nMore: junk\r\n\r\nEvent: After\r\n\r\n"))
        #expect(try decoder.next() == .message(AMIMessage([AMIField("Event", "After")])))
    }

    @Test("a packet of many small lines over the limit is an error too")
    func oversizedPacket() throws {
        var decoder = AMIDecoder(maxMessageBytes: 1000)
        decoder.append(bytes("Event: Big\r\n" + String(repeating: "Key: value\r\n", count: 200) + "\r\nEvent: Next\r\n\r\n"))
        #expect(throws: AMIProtocolError.messageTooLarge(limit: 1000)) { try decoder.next() }
        #expect(try decoder.next() == .message(AMIMessage([AMIField("Event", "Next")])))
    }

    @Test("a truncated stream yields the complete packets and keeps the partial one")
    func truncated() {
        let data = AMIFixture.missingFile.bytes
        let whole = decodeAll([data[...]]).frames
        let cut = data.count - 100
        let result = decodeAll([data[..<cut]])
        #expect(result.errors.isEmpty)
        #expect(result.frames == Array(whole.dropLast()))
        #expect(result.buffered > 0)
    }

    @Test("raw bytes of each packet are kept when asked")
    func rawBytes() throws {
        var decoder = AMIDecoder(keepsRawBytes: true)
        let text = "Action: Ping\r\nActionID: 1\r\n\r\nAction: Logoff\nActionID: 2\n\n"
        decoder.append(bytes(text))
        let first = try decoder.nextPacket()
        let second = try decoder.nextPacket()
        #expect(first.map { String(decoding: $0.raw, as: UTF8.self) } == "Action: Ping\r\nActionID: 1\r\n\r\n")
        #expect(second.map { String(decoding: $0.raw, as: UTF8.self) } == "Action: Logoff\nActionID: 2\n\n")
    }
}
