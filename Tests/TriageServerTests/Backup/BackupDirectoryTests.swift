import Foundation
import Testing
import TriageTestSupport
@testable import TriageServer

struct BackupDirectoryTests {
    @Test func namesSortAsTheCopiesWereMadeAndOnlyCopiesArePruned() throws {
        #expect(BackupDirectory.name(at: Date(timeIntervalSince1970: 1_796_266_800)) == "triage-20261203T030000Z.sqlite")
        #expect(BackupDirectory.name(at: Date(timeIntervalSince1970: 0.5)) == "triage-19700101T000000Z.sqlite")
        try TemporaryDirectory.withSync { temporary in
            let directory = BackupDirectory(path: temporary.path + "/copies")
            try directory.create()
            let names = (0..<5).map { BackupDirectory.name(at: Date(timeIntervalSince1970: 1_796_266_800 + Double($0) * 86_400)) }
            for name in names + ["notes.txt", "triage-latest.sqlite", ".triage-20261203T030000Z.sqlite.partial", ".triage-20261203T030000Z.sqlite.partial-journal"] {
                FileManager.default.createFile(atPath: directory.file(name), contents: Data())
            }
            #expect(try directory.prune(keep: 2) == Array(names.prefix(3).reversed()))
            directory.removePartials()
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(left == ["notes.txt", "triage-20261206T030000Z.sqlite", "triage-20261207T030000Z.sqlite", "triage-latest.sqlite"])
        }
    }
}

struct BackupScratchTests {
    @Test func theScratchCopyGoesBesideTheDatabaseWhateverItsPathLooksLike() {
        for (database, directory) in [("/var/lib/triage/triage.sqlite", "/var/lib/triage/"), ("./triage-data/triage.sqlite", "./triage-data/"),
                                      ("triage.sqlite", "./"), ("", "./"), ("/triage.sqlite", "/"), (".", "./")] {
            let path = BackupScratch.path(besides: database)
            #expect(path.hasPrefix(directory + BackupScratch.prefix) || path.hasPrefix("//" + BackupScratch.prefix), "\(database): \(path)")
        }
    }
}
