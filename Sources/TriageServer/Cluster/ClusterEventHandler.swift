import Logging

/// Applies other instances' events to this one's caches and user directory.
public struct ClusterEventHandler: Sendable {
    let caches: CacheRegistry
    let directory: UserDirectory
    let logger: Logger

    public init(caches: CacheRegistry, directory: UserDirectory, logger: Logger) {
        self.caches = caches
        self.directory = directory
        self.logger = logger
    }

    public func handle(_ event: ClusterEvent) async {
        switch event {
        case .flushCaches(let name):
            for flushed in await caches.flush(name) ?? [] {
                logger.info("cache flushed by another instance", metadata: ["cache": "\(flushed.name)", "entries": "\(flushed.entries)"])
            }
        case .userChanged(let id):
            directory.invalidate(id: id)
        case .resynchronize:
            _ = await caches.flush(nil)
            directory.invalidate()
            logger.notice("caches and user directory dropped: notifications may have been missed while reconnecting")
        }
    }
}
