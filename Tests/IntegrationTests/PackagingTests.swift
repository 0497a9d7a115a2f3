import Foundation
import Testing
import TriageTestSupport

/// The unit file systemd will run us with (DESIGN §6). `systemd-analyze verify`
/// exits 0 even on unknown keys, so its output is read.
@Suite(.timeLimit(.minutes(5))) struct PackagingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unit = root.appendingPathComponent("packaging/systemd/triaged.service").path

    @Test func unitDeclaresTheSystemdContract() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for required in [
            "Type=notify", "NotifyAccess=main", "Restart=on-failure", "RuntimeDirectory=triage",
            "StateDirectory=triage", "ConfigurationDirectory=triage", "ExecStart=/usr/bin/triaged", "ExecReload=/usr/bin/triagectl reload",
            "SystemCallFilter=@system-service", "SystemCallErrorNumber=EPERM",
            // A configuration error (exit 78) is not fixed by restarting: systemd must not loop on it.
            "RestartPreventExitStatus=78",
        ] {
            #expect(lines.contains(required), "missing \(required)")
        }
        #expect(lines.contains { $0.hasPrefix("WatchdogSec=") })
    }

    @Test func verifyReportsNothingButTheMissingBinaries() async throws {
        let result = try await TemporaryDirectory.with { directory in
            try await CommandResult.run(["/usr/bin/systemd-analyze", "verify", Self.unit], in: directory)
        }
        // The binaries and manual pages come with the package; the system test verifies the installed unit.
        let complaints = (result.standardOutput + result.standardError).split(separator: "\n").filter {
            !$0.contains("is not executable: No such file or directory") && !$0.hasSuffix("(8)' failed with code 16")
        }
        #expect(complaints.isEmpty, "systemd-analyze verify: \(complaints)")
    }

    @Test func securityExposureIsAtMostOnePointFive() async throws {
        let result = try await TemporaryDirectory.with { directory in
            try await CommandResult.run(["/usr/bin/systemd-analyze", "security", "--offline=yes", "--no-pager", Self.unit], in: directory)
        }
        let overall = try #require(result.standardOutput.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(overall.firstMatch(of: /service: ([0-9.]+)/).flatMap { Double($0.1) }, "\(overall)")
        #expect(score <= 1.5, "\(overall)")
    }

    @Test func sysusersDeclaresTheServiceUser() throws {
        let text = try String(contentsOfFile: Self.root.appendingPathComponent("packaging/sysusers.d/triage.conf").path, encoding: .utf8)
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("u") && $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "triage" })
    }
}
