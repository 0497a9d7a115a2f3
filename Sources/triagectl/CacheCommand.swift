import ArgumentParser
import TriageControlAPI

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "The daemon's caches.",
        subcommands: [CacheStatsCommand.self, CacheFlushCommand.self]
    )
}

struct CacheStatsCommand: ControlCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Hits, misses, loads and entries per cache.")

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        if options.json {
            Output.printJSON(try await client.exchange(.GET, ControlPath.caches, body: Optional<NoBody>.none))
            return
        }
        let caches = try await client.get(ControlPath.caches, as: [CacheStatistics].self)
        let header = ["NAME", "HITS", "MISSES", "LOADS", "FAILURES", "LOAD SECONDS", "ENTRIES", "EVICTIONS"]
        let rows = caches.map {
            [$0.name, String($0.hits), String($0.misses), String($0.loads), String($0.loadFailures),
             String(format: "%.3f", $0.loadSeconds), String($0.entries), String($0.evictions)]
        }
        print(Table.columns([header] + rows))
    }
}

struct CacheFlushCommand: ControlCommand {
    static let configuration = CommandConfiguration(commandName: "flush", abstract: "Empty one cache, or all of them.")

    @Argument(help: "The cache to flush (e.g. popular); all when omitted.")
    var name: String?

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        let request = CacheFlushRequest(name: name)
        if options.json {
            Output.printJSON(try await client.exchange(.POST, ControlPath.cachesFlush, body: request))
            return
        }
        let answer = try await client.send(.POST, ControlPath.cachesFlush, body: request, as: CacheFlushResponse.self)
        print(Table.columns([["CACHE", "ENTRIES FLUSHED"]] + answer.flushed.map { [$0.name, String($0.entries)] }))
    }
}
