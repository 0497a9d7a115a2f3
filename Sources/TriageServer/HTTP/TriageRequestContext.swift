import Hummingbird

/// Request context of the public API.
public struct TriageRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// DESIGN §3: bodies over 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1 << 20 }
}
