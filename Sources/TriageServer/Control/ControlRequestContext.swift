import Foundation
import Hummingbird
import NIOCore

/// Request context of the control socket: keeps the connection's channel so
/// the peer's credentials can be read.
public struct ControlRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { 64 * 1024 }

    public var responseEncoder: JSONEncoder { JSONCoding.encoder }
}
