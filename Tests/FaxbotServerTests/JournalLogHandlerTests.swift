import Logging
import Testing

@testable import FaxbotServer

/// One event, one line; syslog priorities when stderr is the journal.
@Suite struct JournalLogHandlerTests {
    static func event(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata = [:]) -> LogEvent {
        LogEvent(level: level, message: "\(message)", metadata: metadata, source: "test", file: #fileID, function: #function, line: #line)
    }

    @Test(arguments: [(Logger.Level.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2), (.debug, 7)])
    func theJournalGetsThePriorityAndNoTimestamp(level: Logger.Level, priority: Int) {
        let handler = JournalLogHandler(label: "faxbot.jobs", journal: true)
        let line = handler.line(Self.event(level, "fax accepted", ["to": "***0000", "job": "abc"]))
        #expect(line == "<\(priority)>\(level) faxbot.jobs: job=abc to=***0000 fax accepted")
    }

    @Test func aTerminalGetsATimestampAndEveryEventStaysOnOneLine() {
        var handler = JournalLogHandler(label: "faxbot", journal: false)
        handler[metadataKey: "service"] = "api"
        let line = handler.line(Self.event(.error, "first\nsecond"))
        #expect(line.hasSuffix(" error faxbot: service=api first\\nsecond"))
        #expect(line.first?.isNumber == true)
        #expect(!line.contains("\n"))
    }
}
