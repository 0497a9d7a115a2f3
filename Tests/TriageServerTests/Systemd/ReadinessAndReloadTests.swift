import Foundation
import Logging
import Testing
import TriageTestSupport
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct ReadinessAndReloadTests {
    @Test func readyIsSentOnceAfterBothListeners() {
        let notifier = RecordingNotifier()
        let readiness = ReadinessTracker(notifier: notifier, logger: Logger(label: "test"))
        readiness.listenerIsRunning(.control, address: "/run/triage/control.sock")
        #expect(!readiness.isReady)
        #expect(notifier.recorded.isEmpty)
        readiness.listenerIsRunning(.http, address: "127.0.0.1:8080")
        #expect(readiness.isReady)
        #expect(notifier.recorded == ["READY=1\nSTATUS=Ready: serving http://127.0.0.1:8080, control socket /run/triage/control.sock"])
        readiness.listenerIsRunning(.http, address: "127.0.0.1:8080")
        #expect(notifier.recorded.count == 1)
    }

    @Test func reloadAppliesRuntimeSettingsAndNamesTheRest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("triaged.yaml", "log:\n  level: info\n")
        let sources = ConfigurationSources(environment: [:], explicitConfigFile: file)
        let initial = try SettingsLoader().load(from: sources)
        let holder = SettingsHolder(initial)
        let levels = LogLevelControl(initial.logLevel)
        let notifier = RecordingNotifier()
        let readiness = ReadinessTracker(notifier: notifier, logger: Logger(label: "test"))
        let reloader = Reloader(sources: sources, holder: holder, levelControl: levels, notifier: notifier, readiness: readiness, logger: Logger(label: "test"))

        _ = try directory.write("triaged.yaml", "log:\n  level: debug\nhttp:\n  port: 9999\ncache:\n  popularTtl: 10\n")
        let answer = try await reloader.reload()
        #expect(levels.current == .debug)
        #expect(Set(answer.applied) == ["log.level", "cache.popularTtl"])
        #expect(answer.restartRequired == ["http.port"])
        #expect(holder.current.popularCacheTTL == 10)
        #expect(holder.current.httpPort == 8080, "a restart-only key keeps the value in force")
        #expect(notifier.recorded.count == 2)
        #expect(notifier.recorded[0].hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(notifier.recorded[1].hasPrefix("READY=1\n"))

        _ = try directory.write("triaged.yaml", "log:\n  level: shouting\n")
        await #expect {
            try await reloader.reload()
        } throws: { error in
            (error as? ConfigurationError)?.key == "log.level"
        }
        #expect(levels.current == .debug, "a bad file leaves the previous configuration in force")
        #expect(notifier.recorded.last?.hasPrefix("READY=1\n") == true)
    }
}
