import Hummingbird

/// The body a route that offers more than JSON sends: `?format=` decides when
/// given (a link or a spreadsheet's import cannot set headers), else `Accept`;
/// JSON when neither asks for something offered.
enum ResponseFormat: String, CaseIterable, Sendable {
    case json, csv

    var mediaType: String {
        switch self {
        case .json: return "application/json"
        case .csv: return "text/csv"
        }
    }

    static func requested(by request: Request) throws(HTTPProblem) -> ResponseFormat {
        if let parameter = request.uri.queryParameters["format"] {
            guard let format = ResponseFormat(rawValue: String(parameter).lowercased()) else {
                throw .invalid("format", "\"\(parameter)\" is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return format
        }
        let accept = AcceptHeader(request.headers[.accept])
        let preferred = accept.preferred(of: allCases.map(\.mediaType))
        return allCases.first { $0.mediaType == preferred } ?? .json
    }
}
