import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(1))) struct BearerCredentialTests {
    @Test(arguments: [
        ("Bearer abc.DEF-_~+/9==", "abc.DEF-_~+/9=="), ("bearer abc", "abc"), ("BEARER  abc", "abc"),
    ])
    func readsTheToken(header: String, token: String) {
        #expect(BearerCredential.token(fromAuthorization: header) == token)
    }

    @Test(arguments: [
        "", "Bearer", "Bearer ", "Bearer  ", "Basic abc", "Bearerabc", "Bearer abc def", "Bearer a=b", "Bearer =", "Bearer \u{00E9}",
        "Bearer abc\r\nX: y", " Bearer abc", "Bearer\tabc",
    ])
    func refusesWhatIsNotABearerToken(header: String) {
        #expect(BearerCredential.token(fromAuthorization: header) == nil)
    }

    @Test func aTokenLongerThan8KiBIsNotOurs() {
        let longest = String(repeating: "a", count: BearerCredential.maximumTokenBytes)
        #expect(BearerCredential.token(fromAuthorization: "Bearer " + longest) == longest)
        #expect(BearerCredential.token(fromAuthorization: "Bearer " + longest + "a") == nil, "one byte over")
    }
}
