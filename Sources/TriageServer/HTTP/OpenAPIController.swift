import Hummingbird

/// `GET /openapi.yaml`.
struct OpenAPIController {
    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        let body = ByteBuffer(string: OpenAPIDocument.yaml)
        router.add(routes.openAPIDocument) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: body))
        }
    }
}
