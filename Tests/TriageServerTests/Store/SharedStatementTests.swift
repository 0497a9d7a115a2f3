import Testing
@testable import TriageServer

@Suite struct SharedStatementTests {
    @Test func sqliteGetsTheSameTextWithNumberedParameters() {
        let statement = SharedStatement("INSERT INTO t (a, b, c) VALUES ($1, $2, $1) RETURNING $10, '$x'")
        #expect(statement.postgres == "INSERT INTO t (a, b, c) VALUES ($1, $2, $1) RETURNING $10, '$x'")
        #expect(statement.sqlite == "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?1) RETURNING ?10, '$x'")
    }
}
