import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TriageTestSupport
import Yams
@testable import TriageServer

/// The served document and the router must describe the same API.
@Suite(.timeLimit(.minutes(2))) struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await TrackerFixture.with { fixture in
            let routed = Set(fixture.router().routes.map { "\($0.method.rawValue) \($0.path)" })
            let declared = Set(PublicRoutes().all.map(\.description))
            #expect(routed == declared, "the router registers exactly the declared routes")

            let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys where Self.methods.contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        }
    }

    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/TriageServer/HTTP/OpenAPI/openapi.yaml").path

    @Test func theServedDocumentIsTheFileInTheRepository() throws {
        #expect(OpenAPIDocument.yaml == (try String(contentsOfFile: Self.file, encoding: .utf8)))
    }

    /// openapi-spec-validator (PyPI; `make test` installs it) checks the document against OpenAPI 3.1's own schema.
    @Test func aRealValidatorAcceptsTheDocument() async throws {
        let run = try await ToolRun.run(["python3", "-m", "openapi_spec_validator", "--schema", "3.1", Self.file])
        #expect(run.status == 0, "openapi-spec-validator: \(run.standardOutput) \(run.standardError)")
        #expect(run.standardOutput.contains("OK"))
    }

    @Test func everyReferenceResolves() throws {
        let text = OpenAPIDocument.yaml
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let components = try #require(document["components"] as? [String: [String: Any]])
        for match in text.matches(of: /\$ref: "#\/components\/(\w+)\/(\w+)"/) {
            #expect(components[String(match.1)]?[String(match.2)] != nil, "dangling \(match.0)")
        }
    }

    @Test func theDocumentIsServed() async throws {
        try await TrackerFixture.with { fixture in
            try await fixture.test(.router) { client in
                let response = try await client.call(.get, "/openapi.yaml")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(response.text == OpenAPIDocument.yaml)
            }
        }
    }
}
