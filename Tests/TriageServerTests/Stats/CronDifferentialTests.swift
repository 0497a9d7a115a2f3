import Foundation
import Testing
import TriageTestSupport
@testable import TriageCron
@testable import TriageServer

/// Our cron against an independent implementation, Python's croniter, over
/// thousands of random expressions and instants (Tests/Fixtures/cron_oracle.py).
@Suite(.timeLimit(.minutes(2))) struct CronDifferentialTests {
    struct OracleCase: Decodable {
        let expression: String
        let zone: String
        let after: Int
        let next: [Int]
    }

    static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/cron_oracle.py").path

    static func oracleCases(seed: Int, count: Int) async throws -> [OracleCase] {
        try await offThePool { try runOracle(seed: seed, count: count) }
    }

    private static func runOracle(seed: Int, count: Int) throws -> [OracleCase] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", oracle, String(seed), String(count)]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleFailure(detail: "cron_oracle.py exited \(process.terminationStatus) (is croniter installed? make test installs it): \(errorText)")
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(OracleCase.self, from: Data($0.utf8))
        }
    }

    struct OracleFailure: Error, CustomStringConvertible {
        let detail: String
        var description: String { detail }
    }

    @Test(arguments: [20_261_125, 7, 1_988])
    func agreesWithCroniter(seed: Int) async throws {
        let cases = try await Self.oracleCases(seed: seed, count: 1500)
        #expect(cases.count == 1500)
        // Seconds of computing: on a thread of its own, not one of the cooperative pool's two,
        // where it would stall every other test's tasks (and their `eventually` deadlines) meanwhile.
        let disagreements = try await offThePool { Self.disagreements(with: cases) }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(5))")
    }

    private static func disagreements(with cases: [OracleCase]) -> [String] {
        var disagreements: [String] = []
        for oracleCase in cases {
            guard let zone = TimeZone(identifier: oracleCase.zone) else {
                disagreements.append("\(oracleCase.zone): not a zone this machine knows")
                continue
            }
            let expression: CronExpression
            do {
                expression = try CronExpression(oracleCase.expression)
            } catch {
                disagreements.append("\(oracleCase.expression): we refuse it (\(error)), croniter accepts it")
                continue
            }
            let schedule = CronSchedule(expression: expression, timeZone: zone)
            var cursor = Date(timeIntervalSince1970: TimeInterval(oracleCase.after))
            var ours: [Int] = []
            for _ in oracleCase.next {
                guard let fire = schedule.nextFire(after: cursor) else { break }
                ours.append(Int(fire.timeIntervalSince1970))
                cursor = fire
            }
            if ours != oracleCase.next {
                disagreements.append("\(oracleCase.expression) in \(oracleCase.zone) after \(oracleCase.after): ours \(ours), croniter \(oracleCase.next)")
            }
        }
        return disagreements
    }
}
