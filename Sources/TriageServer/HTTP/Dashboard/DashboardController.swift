import HTTPTypes
import Hummingbird

/// `GET /` and `/dashboard` (the page), and the script and style sheet it loads.
/// Public: the page signs in through the API itself. `http.dashboard: false`
/// answers 404 from the next request on (reloadable).
struct DashboardController {
    let settings: SettingsHolder

    /// Nothing but this origin's own files may run, style or be fetched; no framing,
    /// no `<base>` redirection of the relative URLs.
    static let contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Not among HTTPTypes' names; a valid token, so never nil.
    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        for (route, asset) in [
            (routes.dashboardRoot, DashboardAsset.page), (routes.dashboard, .page),
            (routes.dashboardScript, .script), (routes.dashboardStyle, .style), (routes.dashboardIcon, .icon),
        ] {
            router.add(route) { request, _ in try serve(asset, to: request) }
        }
    }

    private func serve(_ asset: DashboardAsset, to request: Request) throws -> Response {
        guard settings.current.httpDashboard else {
            throw HTTPProblem(.notFound, title: "Not found", detail: "the dashboard is off (http.dashboard: false)")
        }
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            // Revalidated every time (cheap: a 304), so a new build's page is never mixed with an old script.
            .cacheControl: "no-cache",
            .eTag: asset.etag,
        ]
        if let referrerPolicy = Self.referrerPolicy { headers[referrerPolicy] = "no-referrer" }
        if request.headers[.ifNoneMatch].map({ $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == asset.etag } }) == true {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
