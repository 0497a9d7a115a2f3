import Foundation
import Testing
import TriageTestSupport
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct JWTSecretStoreTests {
    @Test func generatesOnceWithMode0600AndReusesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state")
        let first = try JWTSecretStore.secret(configured: nil, stateDirectory: state)
        #expect(first.utf8.count >= 32)
        var status = stat()
        #expect(stat(state + "/jwt-secret", &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
        #expect(try JWTSecretStore.secret(configured: nil, stateDirectory: state) == first)
        let configured = String(repeating: "c", count: 40)
        #expect(try JWTSecretStore.secret(configured: configured, stateDirectory: state) == configured)
    }

    @Test func aTruncatedSecretFileIsAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("jwt-secret", "short\n")
        #expect {
            _ = try JWTSecretStore.secret(configured: nil, stateDirectory: directory.path)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "auth.jwtSecret" && error.problem.contains(directory.file("jwt-secret"))
        }
    }
}
