import Hummingbird

/// One of the dashboard's files, embedded in the binary (`.embedInCode` in
/// Package.swift: no files to install, and an installed daemon serves the page
/// it was built with), with the validator a browser revalidates it by.
struct DashboardAsset: Sendable {
    let body: ByteBuffer
    let contentType: String
    /// A strong validator: FNV-1a of the bytes, which only a new build changes.
    let etag: String

    init(_ bytes: [UInt8], contentType: String) {
        body = ByteBuffer(bytes: bytes)
        self.contentType = contentType
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        etag = "\"\(String(hash, radix: 16))\""
    }

    static let page = DashboardAsset(PackageResources.dashboard_html, contentType: "text/html; charset=utf-8")
    static let script = DashboardAsset(PackageResources.dashboard_js, contentType: "text/javascript; charset=utf-8")
    static let style = DashboardAsset(PackageResources.dashboard_css, contentType: "text/css; charset=utf-8")
    static let icon = DashboardAsset(PackageResources.favicon_svg, contentType: "image/svg+xml")
}
