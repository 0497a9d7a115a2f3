import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
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
            try await fixture.app().test(.router) { client in
                let response = try await client.call(.get, "/openapi.yaml")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(response.text == OpenAPIDocument.yaml)
            }
        }
    }
}
