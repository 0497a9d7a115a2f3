import Hummingbird
import TriageControlAPI

/// `GET /v1/caches` and `POST /v1/caches/flush`.
struct ControlCacheController {
    let caches: CacheRegistry
    let cluster: any ClusterBroadcaster

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.get(RouterPath(ControlPath.caches)) { _, _ in
            var statistics: [CacheStatistics] = []
            for cache in caches.caches { statistics.append(await cache.statistics()) }
            return try encoded(statistics)
        }
        router.post(RouterPath(ControlPath.cachesFlush)) { request, context in
            // An empty body flushes every cache.
            let body = try await RequestInput.decodeIfPresent(CacheFlushRequest.self, from: request, context: context) ?? CacheFlushRequest()
            guard let flushed = await caches.flush(body.name) else {
                let known = caches.caches.map(\.name).joined(separator: ", ")
                throw HTTPProblem(.notFound, detail: "no cache named \"\(body.name ?? "")\"; caches: \(known)")
            }
            // The count is this instance's; the others empty theirs when the message arrives.
            await cluster.broadcast(.flushCaches(body.name))
            context.logger.notice("caches flushed", metadata: ["caches": "\(flushed.map(\.name).joined(separator: ","))"])
            return try encoded(CacheFlushResponse(flushed: flushed))
        }
    }
}
