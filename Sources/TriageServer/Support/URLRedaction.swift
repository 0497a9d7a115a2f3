import Foundation

/// A URL as logs and `triagectl status` show it: an operator may put a token in
/// its userinfo or its query (`https://user:token@host/path?key=secret`), so
/// both are replaced by `***`; scheme, host, port and path stay.
enum URLRedaction {
    static func forDisplay(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "(a URL that cannot be shown)" }
        if components.user != nil || components.password != nil {
            components.user = "***"
            components.password = nil
        }
        if components.query != nil { components.percentEncodedQuery = "***" }
        components.fragment = nil
        return components.string ?? "(a URL that cannot be shown)"
    }
}
