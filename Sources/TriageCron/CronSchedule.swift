import Foundation

/// When a cron expression fires, in one time zone.
public struct CronSchedule: Sendable {
    public let expression: CronExpression
    public let zone: ZonedTime

    /// How far ahead to look. 29 February on a given weekday can be 28 years
    /// away, but with cron's OR of the day fields nothing valid is further than 8.
    static let horizonDays = 366 * 9

    public init(expression: CronExpression, timeZone: TimeZone) {
        self.expression = expression
        self.zone = ZonedTime(zone: timeZone)
    }

    /// The first firing strictly after `date`, to the second.
    public func nextFire(after date: Date) -> Date? {
        let start = Int(date.timeIntervalSince1970.rounded(.down)) + 1
        return nextFire(atOrAfter: start).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The first firing at or after the instant `start` (seconds since the epoch).
    func nextFire(atOrAfter start: Int) -> Int? {
        let startWall = zone.wallSeconds(at: start)
        // A wall time before this cannot map to an instant at or after `start`,
        // whatever DST does (no zone shifts by more than a day).
        let earliestWall = startWall - 86_400
        let firstDay = CivilDate(daysSinceEpoch: Int((Double(startWall) / 86_400).rounded(.down)) - 1)
        for offset in 0..<Self.horizonDays {
            let day = firstDay.adding(days: offset)
            guard expression.matchesDay(month: day.month, day: day.day, weekday: day.weekday) else { continue }
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
                        if instant >= start { return instant }
                    }
                }
            }
        }
        return nil
    }
}
