import Foundation

/// When a cron expression fires, in one time zone.
public struct CronSchedule: Sendable {
    public let expression: CronExpression
    public let zone: ZonedTime
    public let dayFields: CronExpression.DayFields

    /// How far ahead to look. With cron's OR of the day fields nothing valid is
    /// further than 8 years away, but the fifth Monday of February (`1#5` in
    /// month 2), or Spring's reading of `29 2 MON`, waits for a leap year whose
    /// 29 February is a Monday: 28 years apart, 40 across a century's skipped leap day.
    static let horizonDays = 366 * 41

    public init(expression: CronExpression, timeZone: TimeZone, dayFields: CronExpression.DayFields = .either) {
        self.expression = expression
        self.zone = ZonedTime(zone: timeZone)
        self.dayFields = dayFields
    }

    /// The first firing strictly after `date`, to the second.
    public func nextFire(after date: Date) -> Date? {
        nextFiring(after: date)?.instant
    }

    /// The first firing strictly after `date`, with the wall time it stands for.
    public func nextFiring(after date: Date) -> CronFiring? {
        let start = Int(date.timeIntervalSince1970.rounded(.down)) + 1
        guard let (instant, wall) = nextFire(atOrAfter: start) else { return nil }
        let shift: CronFiring.Shift?
        if zone.wallSeconds(at: instant) != wall {
            shift = .skipped
        } else if zone.occurrences(ofWall: wall) > 1 {
            shift = .repeated
        } else {
            shift = nil
        }
        return CronFiring(instant: Date(timeIntervalSince1970: TimeInterval(instant)), wall: wall, shift: shift)
    }

    /// The next `count` firings after `date` (fewer if the expression stops firing within the horizon).
    public func firings(after date: Date, count: Int) -> [CronFiring] {
        var firings: [CronFiring] = []
        var cursor = date
        while firings.count < count, let firing = nextFiring(after: cursor) {
            firings.append(firing)
            cursor = firing.instant
        }
        return firings
    }

    /// The first firing at or after the instant `start` (seconds since the epoch), and its wall time.
    func nextFire(atOrAfter start: Int) -> (instant: Int, wall: ZonedTime.WallSeconds)? {
        let startWall = zone.wallSeconds(at: start)
        // A wall time before this cannot map to an instant at or after `start`,
        // whatever DST does (no zone shifts by more than a day).
        let earliestWall = startWall - 86_400
        let firstDay = CivilDate(daysSinceEpoch: Int((Double(startWall) / 86_400).rounded(.down)) - 1)
        for offset in 0..<Self.horizonDays {
            let day = firstDay.adding(days: offset)
            guard expression.matchesDay(day, dayFields: dayFields) else { continue }
            let dayWall = day.daysSinceEpoch * 86_400
            if dayWall + 86_400 <= earliestWall { continue }
            for hour in expression.hours.values {
                let hourWall = dayWall + hour * 3600
                if hourWall + 3600 <= earliestWall { continue }
                for minute in expression.minutes.values {
                    let minuteWall = hourWall + minute * 60
                    if minuteWall + 60 <= earliestWall { continue }
                    for second in expression.seconds.values {
                        let wall = minuteWall + second
                        if wall < earliestWall { continue }
                        let instant = zone.instant(atWall: wall)
                        if instant >= start { return (instant, wall) }
                    }
                }
            }
        }
        return nil
    }
}

/// One firing: the instant, and the wall time the expression names, which a DST change can move.
public struct CronFiring: Sendable, Equatable {
    public enum Shift: String, Sendable {
        /// The wall time does not exist that day (clocks spring forward): fires at the first instant after the gap.
        case skipped
        /// The wall time happens twice (clocks fall back): fires at the first only.
        case repeated
    }

    public let instant: Date
    public let wall: ZonedTime.WallSeconds
    public let shift: Shift?
}
