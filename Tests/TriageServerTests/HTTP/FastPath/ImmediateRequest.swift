import NIOHTTP1

extension HTTPRequestHead {
    /// A keep-alive HTTP/1.1 request head as the pipeline sees it, with an optional `Authorization`.
    static func immediate(_ path: String, method: HTTPMethod = .GET, authorization: String?) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        return HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
    }
}
