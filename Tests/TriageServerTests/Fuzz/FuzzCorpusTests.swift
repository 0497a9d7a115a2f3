import Foundation
import Testing
import TriageFuzzTargets
import TriageTestSupport
@testable import TriageServer

/// Every committed seed and every input a fuzzing run once broke (`Fuzz/regressions`)
/// goes through its target on every test run, so a finding stays fixed
/// without waiting for libFuzzer to rediscover it (scripts/fuzz).
@Suite(.timeLimit(.minutes(2))) struct FuzzCorpusTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(of target: FuzzTarget, in folder: String) -> [URL] {
        let directory = fuzzDirectory.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Off the cooperative pool: the authorization target blocks its thread on an async verification,
    /// as libFuzzer's synchronous callback must.
    private static func run(_ target: FuzzTarget, _ input: [UInt8]) async throws -> FuzzFinding? {
        try await offThePool { () -> FuzzFinding? in
            do throws(FuzzFinding) {
                try target.run(input)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everySeedAndRegressionPasses(target: FuzzTarget) async throws {
        let seeds = Self.inputs(of: target, in: "corpus")
        #expect(seeds.count >= 5, "a seed corpus for \(target.rawValue) is committed")
        for file in seeds + Self.inputs(of: target, in: "regressions") {
            let finding = try await Self.run(target, Array(try Data(contentsOf: file)))
            #expect(finding == nil, "\(file.lastPathComponent): \(finding.map(\.description) ?? "")")
        }
    }

    @Test func theAuthorizationTargetReportsAnAcceptedToken() async throws {
        // Proof that the target can report at all: a token signed with its own secret is what a forgery would be.
        let service = await TokenService(secret: FuzzTarget.authorizationSecret, clock: SystemWallClock(), lifetime: { 3600 })
        let token = try await service.issue(for: User(id: 7, username: "someone", role: .member, createdAt: Date())).token
        let finding = try await Self.run(.authorization, Array("Bearer \(token)".utf8))
        #expect(finding?.description.contains("a token never issued was accepted for user 7") == true)
    }
}
