import Foundation
import NIOCore

/// One HTTP GET to the upstream, bounded by `timeout`. The seam tests replace.
public protocol Upstream: Sendable {
    /// The body of a 2xx answer (at most 1 MiB; more is `.tooLarge`), or why there is none.
    func get(_ url: URL, timeout: TimeInterval) async throws(UpstreamFailure) -> ByteBuffer
}
