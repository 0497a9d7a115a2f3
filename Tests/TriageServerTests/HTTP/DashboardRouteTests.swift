import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageServer

/// The dashboard's files (issue #17): public, embedded, served with a strict
/// CSP, nosniff and a validator; off with http.dashboard: false. That the page
/// works is the browser test's job (DashboardBrowserTests).
@Suite(.timeLimit(.minutes(1))) struct DashboardRouteTests {
    static let files = [
        ("/", "text/html; charset=utf-8"), ("/dashboard", "text/html; charset=utf-8"),
        ("/dashboard/dashboard.js", "text/javascript; charset=utf-8"), ("/dashboard/dashboard.css", "text/css; charset=utf-8"),
        ("/dashboard/favicon.svg", "image/svg+xml"),
    ]

    @Test func everyFileIsServedWithTheStrictHeadersAndAValidator() async throws {
        try await TrackerFixture.with { fixture in
            try await fixture.test(.router) { client in
                for (path, type) in Self.files {
                    let response = try await client.call(.get, path)
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == type)
                    #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self';") == true)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[.cacheControl] == "no-cache")
                    let etag = try #require(response.headers[.eTag], "\(path)")
                    var headers: HTTPFields = [:]
                    headers[.ifNoneMatch] = "\"other\", \(etag)"
                    let again = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
                    #expect(again.status == .notModified && again.body.readableBytes == 0, "\(path)")
                    headers[.ifNoneMatch] = "\"other\""
                    #expect(try await client.execute(uri: path, method: .get, headers: headers, body: nil).status == .ok)
                }
            }
        }
    }

    /// What the CSP would block anyway, kept out of the files: inline script, inline
    /// style, event-handler attributes, anything from another origin.
    @Test func thePageHasNothingInlineAndNothingFromElsewhere() throws {
        let page = String(buffer: DashboardAsset.page.body)
        #expect(page.contains(#"<script src="/dashboard/dashboard.js" defer></script>"#))
        #expect(page.ranges(of: "<script").count == 1)
        #expect(!page.contains("style=") && !page.contains("<style"))
        #expect(page.firstMatch(of: /\son[a-z]+=/) == nil, "no inline event handlers")
        for file in [page, String(buffer: DashboardAsset.script.body), String(buffer: DashboardAsset.style.body)] {
            #expect(!file.contains("http://") || file.contains("http://www.w3.org/2000/svg"), "nothing fetched from elsewhere")
            #expect(!file.contains("https://"))
        }
        let script = String(buffer: DashboardAsset.script.body)
        #expect(!script.contains("innerHTML") && !script.contains("eval("), "API text never becomes markup")
        #expect(script.contains("sessionStorage") && !script.contains("document.cookie"))
    }

    @Test func offWithTheSettingTheFilesAre404() async throws {
        var settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        settings.httpDashboard = false
        try await TrackerFixture.with(settings: settings) { fixture in
            try await fixture.test(.router) { client in
                for (path, _) in Self.files {
                    let response = try await client.call(.get, path)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.text.contains("http.dashboard"))
                }
                #expect(try await client.call(.get, "/healthz").status == .ok)
            }
        }
    }
}
