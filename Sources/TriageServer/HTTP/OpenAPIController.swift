import Hummingbird

/// `GET /openapi.yaml`.
struct OpenAPIController<Context: RequestContext> {
    func addRoutes(to router: Router<Context>) {
        let body = ByteBuffer(string: OpenAPIDocument.yaml)
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: body))
        }
    }
}
