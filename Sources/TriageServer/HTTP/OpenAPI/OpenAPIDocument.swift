/// The OpenAPI 3.1 description of the public API, served at `/openapi.yaml`.
/// The file beside this one is the source (editors, linters and
/// `openapi-spec-validator` read it); SwiftPM embeds its bytes in the binary
/// (`.embedInCode`), so an installed daemon always serves the document it was
/// built with. `OpenAPIDocumentTests` fails when it and `PublicRoutes` disagree.
enum OpenAPIDocument {
    static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
