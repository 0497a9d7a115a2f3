import Foundation
import Logging
import Testing
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct LogFormattingTests {
    @Test func logfmtQuotesOnlyWhatNeedsIt() {
        #expect(LogfmtFormatter.escape("plain") == "plain")
        #expect(LogfmtFormatter.escape("two words") == "\"two words\"")
        #expect(LogfmtFormatter.escape("a=b") == "\"a=b\"")
        #expect(LogfmtFormatter.escape("say \"hi\"\n") == #""say \"hi\"\n""#)
        #expect(LogfmtFormatter.escape("") == "\"\"")
    }

    @Test func lineBreaksAreEscapedPerScalarEverywhere() {
        // "\r\n" is one Character; a Character comparison with "\n" misses it.
        #expect(LogfmtFormatter.escape("a\r\nb") == #""a\r\nb""#)
        #expect(LogfmtFormatter.escape("x\u{2028}y\u{2029}z\u{85}") == #""x\u{2028}y\u{2029}z\u{85}""#)
        #expect(LogfmtFormatter.escape("bell\u{07}") == #""bell\u{7}""#)
        #expect(LogfmtFormatter.escape("naïve-ünïcode") == "naïve-ünïcode", "printable text stays as it is")
        let fields = JournalFields.make(
            message: "forged\r\nPRIORITY=0", level: .info, label: "l", metadata: ["user.name": "a\u{2028}b"], file: "f", line: 1, function: "fn"
        )
        #expect(fields.contains(#"MESSAGE=forged\r\nPRIORITY=0"#))
        #expect(fields.contains(#"USER_NAME=a\u{2028}b"#))
        #expect(fields.allSatisfy { !$0.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" } })
    }

    @Test func statusLinesCannotCarryANotifyCommand() {
        let notifier = RecordingNotifier()
        notifier.status("DEGRADED: the server said \"bye\nREADY=1\"")
        notifier.ready(status: "Ready\r\nWATCHDOG=trigger")
        #expect(notifier.recorded == [
            #"STATUS=DEGRADED: the server said "bye\nREADY=1""#,
            #"READY=1"# + "\n" + #"STATUS=Ready\r\nWATCHDOG=trigger"#,
        ])
    }

    @Test func logfmtLineCarriesLevelMessageAndSortedMetadata() {
        let line = LogfmtFormatter().format(
            date: Date(timeIntervalSince1970: 0), level: .warning, label: "triaged",
            message: "slow request", metadata: ["z": "last", "hb.request.id": "abc"]
        )
        #expect(line == "ts=1970-01-01T00:00:00.000Z level=warning logger=triaged msg=\"slow request\" hb.request.id=abc z=last")
    }

    @Test func journalFieldNamesAreUppercaseAndSafe() {
        #expect(JournalFields.fieldName("hb.request.id") == "HB_REQUEST_ID")
        #expect(JournalFields.fieldName("_private") == "PRIVATE")
        #expect(JournalFields.fieldName("9lives") == nil)
        #expect(JournalFields.fieldName("message") == "META_MESSAGE")
    }

    @Test func journalPrioritiesFollowSyslog() {
        #expect(JournalFields.priority(.critical) == 2)
        #expect(JournalFields.priority(.error) == 3)
        #expect(JournalFields.priority(.warning) == 4)
        #expect(JournalFields.priority(.notice) == 5)
        #expect(JournalFields.priority(.info) == 6)
        #expect(JournalFields.priority(.debug) == 7)
        let fields = JournalFields.make(message: "hi", level: .error, label: "l", metadata: ["k": "v"], file: "f", line: 1, function: "fn")
        #expect(fields.contains("MESSAGE=hi"))
        #expect(fields.contains("PRIORITY=3"))
        #expect(fields.contains("K=v"))
    }

    @Test func journaldIsChosenOnlyWhenStderrIsTheJournalStream() throws {
        #expect(LogDestination.detect(environment: [:]) == .logfmt)
        #expect(LogDestination.detect(environment: ["JOURNAL_STREAM": "garbage"]) == .logfmt)
        let pipe = Pipe()
        let descriptor = pipe.fileHandleForWriting.fileDescriptor
        var status = stat()
        #expect(fstat(descriptor, &status) == 0)
        let stream = "\(status.st_dev):\(status.st_ino)"
        #expect(LogDestination.detect(environment: ["JOURNAL_STREAM": stream], standardError: descriptor) == .journald)
        #expect(LogDestination.detect(environment: ["JOURNAL_STREAM": "\(status.st_dev):1"], standardError: descriptor) == .logfmt)
    }

    @Test func handlersFollowTheSharedLevel() {
        let control = LogLevelControl(.info)
        var logger = Logger(label: "t") { label in LogfmtLogHandler(label: label, levelControl: control, sink: LineSink(descriptor: -1)) }
        #expect(logger.logLevel == .info)
        control.set(.debug)
        #expect(logger.logLevel == .debug)
        logger.logLevel = .critical
        #expect(logger.logLevel == .debug)
    }
}
