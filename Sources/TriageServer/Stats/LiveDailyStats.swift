import Foundation
import Logging
import TriageCron

/// `GET /api/stats/daily` as readers see it: the batch's rows, plus today's row
/// counted live (DESIGN's "real-time counters beside the batch"). Today is
/// counted by the batch's own statement over [today 00:00, now] in
/// `stats.timezone` and kept in the `stats-today` cache for `stats.liveTtl`
/// seconds; a write does not evict it, so a burst of reads costs one count per
/// lifetime. A count is cheap at any hour: today's finished hours are counted
/// once and kept (`stats-today-hours`: only a deletion changes them, and each
/// deletion empties it, here and on the other instances), and only the current
/// hour is counted each time.
public struct LiveDailyStats: Sendable {
    public static let cacheName = "stats-today"
    public static let finishedHoursCacheName = "stats-today-hours"
    /// How long finished hours are trusted at most: what another instance's clock
    /// (its writes stamped a little in the past) or a lost deletion notice can cost.
    static let finishedHoursLifetime: TimeInterval = 300

    public let cache: Cache<DailyStats>
    let finishedHours: Cache<DayCounts>
    private let stats: any StatsRepository
    private let clock: any WallClock
    private let settings: SettingsHolder
    private let gauges: TodayStatsGauges
    private let logger: Logger

    init(
        cache: Cache<DailyStats>, finishedHours: Cache<DayCounts>, stats: any StatsRepository, clock: any WallClock,
        settings: SettingsHolder, gauges: TodayStatsGauges, logger: Logger
    ) {
        self.cache = cache
        self.finishedHours = finishedHours
        self.stats = stats
        self.clock = clock
        self.settings = settings
        self.gauges = gauges
        self.logger = logger
    }

    private var zone: ZonedTime { ZonedTime(zone: settings.current.statsTimeZone) }

    /// Today's date in `stats.timezone`.
    func today() -> CivilDate {
        zone.date(at: clock.now())
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

    /// An issue or a comment was deleted: today's finished hours may count it.
    func forgetFinishedHours() async {
        await finishedHours.flush()
    }

    private func todayRow(_ today: CivilDate) async throws(RepositoryError) -> DailyStats {
        let zone = zone
        do {
            // Keyed by the date: the first read after midnight counts the new day (yesterday's
            // entry goes when it expires).
            return try await cache.value(for: today.description) { [stats, clock, gauges, finishedHours] in
                let now = clock.now()
                let day = DayWindow(date: today, zone: zone).until(now)
                let hour = max(day.start, Self.hourStart(of: now))
                var counts = DayCounts.zero
                if hour > day.start {
                    let finished = day.ending(at: hour)
                    counts = try await finishedHours.value(for: "\(today) \(StoreTime.milliseconds(hour))") {
                        try await stats.counts(in: finished, from: finished.start)
                    }
                }
                counts = counts + (try await stats.counts(in: day, from: hour))
                gauges.show(counts)
                return DailyStats(date: today, counts: counts, aggregatedAt: now, partial: true)
            }
        } catch let error as RepositoryError {
            throw error
        } catch {
            throw .unavailable("today's statistics: \(error)")
        }
    }

    /// The start of the hour (of UTC, which every zone's hours but a few share) holding `instant`.
    static func hourStart(of instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }
}
