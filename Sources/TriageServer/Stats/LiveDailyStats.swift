import Foundation
import Logging

/// `GET /api/stats/daily` as readers see it: the batch's rows, plus today's row
/// counted live (DESIGN's "real-time counters beside the batch"). Today is
/// counted by the batch's own rules over [today 00:00, now) in `stats.timezone`
/// and kept in the `stats-today` cache for `stats.liveTtl` seconds; a write does
/// not evict it, so a burst of reads costs one count per lifetime.
public struct LiveDailyStats: Sendable {
    public static let cacheName = "stats-today"

    public let cache: Cache<DailyStats>
    private let stats: any StatsRepository
    private let clock: any WallClock
    private let settings: SettingsHolder
    private let gauges: TodayStatsGauges
    private let logger: Logger

    init(
        cache: Cache<DailyStats>, stats: any StatsRepository, clock: any WallClock, settings: SettingsHolder,
        gauges: TodayStatsGauges, logger: Logger
    ) {
        self.cache = cache
        self.stats = stats
        self.clock = clock
        self.settings = settings
        self.gauges = gauges
        self.logger = logger
    }

    /// Today's date in `stats.timezone`.
    func today() -> CivilDate {
        ZonedTime(zone: settings.current.statsTimeZone).date(at: clock.now())
    }

    /// Rows of [from, to], ascending; when the range holds today, today's row is the live one.
    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats] {
        let today = today()
        var rows = try await stats.daily(from: from, to: to)
        guard from <= today && today <= to else { return rows }
        // A batch run for today (by hand) counted part of the day; the live row is newer.
        rows.removeAll { $0.date >= today }
        rows.append(try await todayRow(today))
        return rows
    }

    /// Today's live row (also what the gauges show).
    func todayRow() async throws(RepositoryError) -> DailyStats {
        try await todayRow(today())
    }

    /// Brings the gauges up to date for a scrape; a store that does not answer leaves them as they were.
    func refreshGauges() async {
        do {
            _ = try await todayRow()
        } catch {
            logger.debug("today's statistics not counted for /metrics", metadata: ["error": "\(error)"])
        }
    }

    private func todayRow(_ today: CivilDate) async throws(RepositoryError) -> DailyStats {
        let zone = ZonedTime(zone: settings.current.statsTimeZone)
        do {
            // Keyed by the date: the first read after midnight counts the new day.
            return try await cache.value(for: today.description) { [stats, clock, gauges] in
                let now = clock.now()
                let counts = try await stats.counts(in: DayWindow(date: today, zone: zone).until(now))
                gauges.show(counts)
                return DailyStats(date: today, counts: counts, aggregatedAt: now, partial: true)
            }
        } catch let error as RepositoryError {
            throw error
        } catch {
            throw .unavailable("today's statistics: \(error)")
        }
    }
}
