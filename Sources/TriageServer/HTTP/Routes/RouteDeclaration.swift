import HTTPTypes
import Hummingbird

/// One public route: its method, its path as the API document spells it
/// (`/api/issues/{id}`, which Hummingbird's router reads the same way) and
/// who may call it.
struct RouteDeclaration: Sendable, Hashable, CustomStringConvertible {
    let method: HTTPRequest.Method
    let path: String
    var access: RouteAccess

    init(_ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess) {
        self.method = method
        self.path = path
        self.access = access
    }

    var description: String { "\(method.rawValue) \(path)" }

    /// How many `{…}` segments the path has: fewer is more specific.
    var parameterCount: Int { path.split(separator: "/").count { $0.hasPrefix("{") } }

    /// Whether a request path (no query) is this route's path, parameters matching any one segment.
    func matches(path requested: Substring) -> Bool {
        let pattern = path.split(separator: "/", omittingEmptySubsequences: false)
        let segments = requested.split(separator: "/", omittingEmptySubsequences: false)
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { expected, actual in
            expected.hasPrefix("{") ? !actual.isEmpty : expected == actual
        }
    }
}
