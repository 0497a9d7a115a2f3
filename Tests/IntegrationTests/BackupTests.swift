import Foundation
import Testing
import TriageTestSupport

/// `triagectl backup PATH` (issue #18) through the real binaries: a copy made
/// while writes go on is one consistent moment, private to its owner, and
/// restoring it (stop, put the file back, start) gives back exactly its data.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BackupTests {
    static let environment = DailyStatsIntegrationTests.utc.merging(["TRIAGE_STATS_CATCH_UP_DAYS": "0"]) { $1 }

    static func sqlite(_ file: String, _ sql: String, in directory: TemporaryDirectory) async throws -> String {
        let result = try await CommandResult.run(["/usr/bin/sqlite3", file, sql], in: directory)
        #expect(result.exitCode == 0, "\(sql): \(result.standardError)")
        return result.trimmed
    }

    /// Every row of every table, as sqlite3 prints them in key order.
    static func contents(_ file: String, in directory: TemporaryDirectory) async throws -> [String: String] {
        let tables = try await sqlite(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", in: directory)
        var contents: [String: String] = [:]
        for table in tables.split(separator: "\n") {
            contents[String(table)] = try await sqlite(file, "SELECT * FROM \"\(table)\" ORDER BY 1, 2", in: directory)
        }
        return contents
    }

    @Test func aCopyTakenUnderWritesIsConsistentAndRestoresToTheSameData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try TestDaemon(environment: Self.environment, directory: directory)
        defer { daemon.killNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "writer", role: "member")
        let load = Task {
            var written = 0
            // Ends at cancellation, which may cut a request short: that is the end of the load, not an error.
            while !Task.isCancelled {
                guard let created = try? await daemon.send(.POST, "/api/issues", json: #"{"title":"load \#(written)","description":"d"}"#, token: token)
                else { break }
                if let id = created.body.firstMatch(of: /"id":(\d+)/)?.output.1 {
                    _ = try? await daemon.send(.POST, "/api/issues/\(id)/comments", json: #"{"content":"c"}"#, token: token)
                }
                written += 1
            }
            return written
        }
        // Let the load get going, then copy in the middle of it.
        try await Task.sleep(for: .seconds(1))
        let copy = directory.file("copies/triage-copy.sqlite")
        try FileManager.default.createDirectory(atPath: directory.file("copies"), withIntermediateDirectories: true)
        let backup = try await daemon.ctl("backup", copy)
        load.cancel()
        let written = await load.value
        #expect(backup.exitCode == 0, "\(backup.standardError)")
        #expect(written > 10, "the load ran during the copy: \(written) issues")

        // What it printed is what the file holds.
        let lines = backup.standardOutput.split(separator: "\n").map(String.init)
        let bytes = try #require(lines.first?.firstMatch(of: /^wrote (.+): (\d+) bytes/), "\(backup.standardOutput)")
        #expect(String(bytes.output.1) == copy)
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect((attributes[.size] as? NSNumber)?.int64Value == Int64(bytes.output.2))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "mode 0600")
        #expect(lines.dropFirst().first?.split(separator: " ", omittingEmptySubsequences: true) == ["TABLE", "ROWS"])
        for line in lines.dropFirst(2) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(try await Self.sqlite(copy, "SELECT COUNT(*) FROM \"\(parts[0])\"", in: directory) == String(parts[1]), "\(line)")
        }
        #expect(lines.count >= 2 + 10, "every table listed: \(lines)")
        // One moment: the counters the writes keep agree with the rows they count.
        #expect(try await Self.sqlite(copy, "PRAGMA integrity_check", in: directory) == "ok")
        #expect(try await Self.sqlite(copy, "SELECT (SELECT COUNT(*) FROM issues) = (SELECT SUM(n) FROM issue_counts)", in: directory) == "1")
        #expect(try await Self.sqlite(copy, "SELECT (SELECT COUNT(*) FROM comments) = (SELECT SUM(comment_count) FROM issues)", in: directory) == "1")
        let copied = try await Self.contents(copy, in: directory)
        #expect(Int(try await Self.sqlite(copy, "SELECT COUNT(*) FROM issues", in: directory)) ?? 0 > 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("triage-data")).allSatisfy { !$0.hasPrefix(".triage-backup") },
                "the daemon's scratch copy is gone")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("copies")) == ["triage-copy.sqlite"], "no partial file left")

        // Restore: stop, put the file back (without the old WAL), start.
        #expect(await daemon.stop() == 0)
        daemon.notify.close()
        let database = directory.file("triage-data/triage.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        try FileManager.default.copyItem(atPath: copy, toPath: database)
        let restored = try TestDaemon(environment: Self.environment, directory: directory)
        defer { restored.killNow() }
        try await restored.waitUntilReady()
        let issues = try await restored.send(.GET, "/api/issues?size=1", token: try await UserAdministrationTests.login(restored, "writer", "reader-password").token)
        #expect(issues.status == 200, "the restored users sign in: \(issues.body)")
        #expect(await restored.stop() == 0)
        #expect(try await Self.contents(database, in: directory) == copied, "every table as the copy has it")
    }

    @Test func refusalsExitNonZeroAndLeaveNothing() async throws {
        let daemon = try TestDaemon(environment: Self.environment)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let missing = try await daemon.ctl("backup", daemon.directory.file("no/such/dir/copy.sqlite"))
        #expect(missing.exitCode == 1 && missing.standardError.contains("cannot create"), "\(missing.standardError)")
        let json = try await daemon.ctl("backup", daemon.directory.file("copy.sqlite"), "--json")
        #expect(json.exitCode == 0, "\(json.standardError)")
        let document = try TestDaemon.json(json.standardOutput)
        #expect((document["tables"] as? [String: Int])?["users"] == 0 && (document["bytes"] as? Int ?? 0) > 0, "\(document)")
        let noDaemon = try await CommandResult.run(
            [Binaries.triagectl, "backup", daemon.directory.file("x.sqlite"), "--socket", daemon.directory.file("nope.sock")], in: daemon.directory
        )
        #expect(noDaemon.exitCode == 69)
        #expect(!FileManager.default.fileExists(atPath: daemon.directory.file("x.sqlite")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.directory.path).allSatisfy { !$0.contains(".partial-") })
    }
    /// Found in review: the copy must never replace the file the daemon has open, nor go into a directory's name.
    @Test func theLiveDatabaseAndADirectoryAreRefusedAsPATH() async throws {
        let daemon = try TestDaemon(environment: Self.environment)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        _ = try await daemon.token(user: "writer", role: "member")
        let live = daemon.directory.file("triage-data/triage.sqlite")
        let over = try await daemon.ctl("backup", live)
        #expect(over.exitCode == 1 && over.standardError.contains("is the database triaged is using"), "\(over.standardError)")
        #expect(try await daemon.send(.POST, "/api/auth/login", json: #"{"username":"writer","password":"reader-password"}"#).status == 200,
                "the live database is untouched")
        let directory = try await daemon.ctl("backup", daemon.directory.path)
        #expect(directory.exitCode == 1 && directory.standardError.contains("is a directory"), "\(directory.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.directory.path).allSatisfy { !$0.contains(".partial-") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.directory.file("triage-data")).allSatisfy { !$0.hasPrefix(".triage-backup-") })
    }

    /// Found in review: what a crash in the middle of a backup leaves (a scratch copy, a run
    /// marked running) is cleaned at the next start, before anyone looks.
    @Test func whatACrashMidBackupLeftIsCleanedAtTheNextStart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try TestDaemon(environment: Self.environment, directory: directory)
        try await first.waitUntilReady()
        #expect(await first.stop() == 0)
        first.notify.close()
        let database = directory.file("triage-data/triage.sqlite")
        _ = try await Self.sqlite(database, """
            INSERT INTO batch_runs (job, trigger, from_date, to_date, started_at, duration_seconds, outcome, error, rows_written, instance)
            VALUES ('backup', 'schedule', '2026-12-01', '2026-12-01', 1796000000000, 0, 'running', NULL, 0, 'gone:1')
            """, in: directory)
        let scratch = try directory.write("triage-data/.triage-backup-0000.sqlite", "a copy with password hashes in it")
        let second = try TestDaemon(environment: Self.environment, directory: directory)
        defer { second.killNow() }
        try await second.waitUntilReady()
        #expect(!FileManager.default.fileExists(atPath: scratch), "the scratch copy is gone")
        let status = try TestDaemon.json(try await second.ctl("status", "--json").standardOutput)
        let last = (status["backup"] as? [String: Any])?["lastRun"] as? [String: Any]
        #expect(last?["outcome"] as? String == "interrupted", "\(String(describing: last))")
    }
}

/// Scheduled backups (issue #18): `backup.cron`, `backup.directory`, `backup.keep`.
@Suite(.timeLimit(.minutes(2))) struct ScheduledBackupTests {
    @Test func copiesAreMadeOnScheduleKeptToTheirNumberAndShownInStatus() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let copies = directory.file("copies")
        let daemon = try TestDaemon(
            environment: BackupTests.environment.merging([
                "TRIAGE_BACKUP_CRON": "* * * * * *", "TRIAGE_BACKUP_KEEP": "2", "TRIAGE_BACKUP_DIRECTORY": copies,
            ]) { $1 },
            directory: directory
        )
        defer { daemon.killNow() }
        try await daemon.waitUntilReady()
        _ = try await daemon.token(user: "writer", role: "member")
        let made = try await eventually(timeout: .seconds(20)) { () -> [String]? in
            let history = try await BackupTests.sqlite(
                directory.file("triage-data/triage.sqlite"), "SELECT COUNT(*) FROM batch_runs WHERE job = 'backup' AND outcome = 'done'", in: directory
            )
            guard (Int(history) ?? 0) >= 4 else { return nil }
            return try FileManager.default.contentsOfDirectory(atPath: copies)
        }
        let names = try #require(made, "four scheduled runs within 20 s")
        #expect(names.count == 2 && names.allSatisfy { $0.wholeMatch(of: /triage-\d{8}T\d{6}Z\.sqlite/) != nil }, "kept to backup.keep: \(names)")
        let mode = try FileManager.default.attributesOfItem(atPath: copies)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
        for name in names {
            #expect(try await BackupTests.sqlite(copies + "/" + name, "PRAGMA integrity_check", in: directory) == "ok")
            #expect(try await BackupTests.sqlite(copies + "/" + name, "SELECT username FROM users", in: directory) == "writer")
            let fileMode = try FileManager.default.attributesOfItem(atPath: copies + "/" + name)[.posixPermissions] as? NSNumber
            #expect(fileMode?.intValue == 0o600)
        }

        let status = try await daemon.ctl("status")
        #expect(status.standardOutput.contains("backup schedule   * * * * * * (GMT) into \(copies), keeping 2"), "\(status.standardOutput)")
        #expect(status.standardOutput.contains("backup last run   done, schedule,"), "\(status.standardOutput)")
        let json = try TestDaemon.json(try await daemon.ctl("status", "--json").standardOutput)
        let backup = try #require(json["backup"] as? [String: Any])
        #expect((backup["lastRun"] as? [String: Any])?["rowsWritten"] as? Int ?? 0 > 0 && backup["nextRunAt"] is String, "\(backup)")
        let batches = try await daemon.ctl("batch", "history", "--json")
        #expect(!batches.standardOutput.contains("\"backup\"") && !batches.standardOutput.contains("schedule\",\"to"), "the batch's history holds only its runs")
    }

    @Test func aFailedCopyIsRecordedAndLoggedAndTheDaemonGoesOn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = try directory.write("not-a-directory", "x")
        let daemon = try TestDaemon(
            environment: BackupTests.environment.merging([
                "TRIAGE_BACKUP_CRON": "* * * * * *", "TRIAGE_BACKUP_DIRECTORY": blocker + "/copies",
            ]) { $1 },
            directory: directory
        )
        defer { daemon.killNow() }
        try await daemon.waitUntilReady()
        let failed = try await eventually(timeout: .seconds(20)) { () -> [String: Any]? in
            let json = try TestDaemon.json(try await daemon.ctl("status", "--json").standardOutput)
            let last = (json["backup"] as? [String: Any])?["lastRun"] as? [String: Any]
            return last?["outcome"] as? String == "failed" ? last : nil
        }
        #expect((failed?["error"] as? String)?.contains("copies") == true, "\(String(describing: failed))")
        #expect(daemon.process.standardError.contains("backup into \(blocker)/copies failed"))
        #expect(try await daemon.get("/readyz").status == 200, "a failed backup does not make the daemon unready")
    }
}
