import Foundation
import TriageCron

/// The next firings of an expression in a zone, as a table or JSON; and, for an
/// expression Spring would read differently, Spring's firings beside them.
struct SchedulePreview {
    struct Firing: Encodable {
        /// The instant, UTC.
        let at: String
        /// The same instant in the zone, with its offset.
        let local: String
        /// The wall time the expression names (differs from `local` when a DST gap moved it).
        let scheduled: String
        /// `skipped` (the wall time did not exist: fired at the first instant after the gap),
        /// `repeated` (it happened twice: fired at the first), or null.
        let dst: String?

        /// Every key present, null when empty: a script reads one shape.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(at, forKey: .at)
            try container.encode(local, forKey: .local)
            try container.encode(scheduled, forKey: .scheduled)
            try container.encode(dst, forKey: .dst)
        }

        enum CodingKeys: String, CodingKey { case at, local, scheduled, dst }
    }

    struct Document: Encodable {
        let expression: String
        let zone: String
        let firings: [Firing]
        /// Present when both day fields of a 6-field expression are restricted: Spring's (and Quartz's) firings.
        let springFirings: [Firing]?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(expression, forKey: .expression)
            try container.encode(zone, forKey: .zone)
            try container.encode(firings, forKey: .firings)
            try container.encode(springFirings, forKey: .springFirings)
        }

        enum CodingKeys: String, CodingKey { case expression, zone, firings, springFirings }
    }

    let expression: CronExpression
    let zone: ZonedTime
    /// As the operator named it (Foundation renames UTC to GMT).
    let zoneName: String
    let firings: [CronFiring]
    let springFirings: [CronFiring]?
    let now: Date
    /// Whether `now` is an instant the operator gave (`--after`) rather than the clock's.
    var startIsGiven = false

    init(expression: CronExpression, timeZone: TimeZone, zoneName: String, count: Int, now: Date) {
        self.expression = expression
        self.zoneName = zoneName
        self.zone = ZonedTime(zone: timeZone)
        self.now = now
        firings = CronSchedule(expression: expression, timeZone: timeZone).firings(after: now, count: count)
        springFirings = expression.readsDifferentlyInSpring
            ? CronSchedule(expression: expression, timeZone: timeZone, dayFields: .both).firings(after: now, count: count)
            : nil
    }

    func json() -> String {
        let document = Document(
            expression: expression.description, zone: zoneName,
            firings: firings.map(firing), springFirings: springFirings?.map(firing)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    func text() -> String {
        var lines = [
            Table.render([("expression", expression.description), ("zone", zoneName)]),
            "",
            table(firings),
        ]
        if firings.isEmpty { lines.append("(no firing in the next 41 years)") }
        if let springFirings {
            lines += [
                "",
                "note: both day fields are restricted. Triage, like cron, fires on days either field allows;",
                "Spring's @Scheduled and Quartz fire only on days both allow. Under their reading:",
                "",
                table(springFirings),
            ]
        }
        return lines.joined(separator: "\n")
    }

    private func table(_ firings: [CronFiring]) -> String {
        var rows = [["", zoneName, "UTC", startIsGiven ? "from --after" : "from now", ""]]
        for (index, firing) in firings.enumerated() {
            rows.append([
                "\(index + 1)", local(firing.instant, weekday: true), utc(firing.instant),
                "in " + Output.duration(firing.instant.timeIntervalSince(now)), note(firing),
            ])
        }
        return Table.columns(rows).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacing(/\s+$/, with: "") }.joined(separator: "\n")
    }

    private func note(_ firing: CronFiring) -> String {
        switch firing.shift {
        case .skipped: return "← \(clock(firing.wall)) does not exist that day (DST gap): runs after the gap"
        case .repeated: return "← \(clock(firing.wall)) happens twice that day (DST overlap): runs at the first"
        case nil: return ""
        }
    }

    private func firing(_ firing: CronFiring) -> Firing {
        let day = CivilDate(daysSinceEpoch: Int((Double(firing.wall) / 86_400).rounded(.down)))
        return Firing(
            at: firing.instant.formatted(.iso8601), local: local(firing.instant, weekday: false),
            scheduled: "\(day)T\(clock(firing.wall))", dst: firing.shift?.rawValue
        )
    }

    /// `Sun 2027-03-28 03:00:00 +02:00`, from the zone's own offset at that instant.
    private func local(_ instant: Date, weekday: Bool) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let offset = zone.offset(at: seconds)
        let wall = seconds + offset
        let day = CivilDate(daysSinceEpoch: Int((Double(wall) / 86_400).rounded(.down)))
        let sign = offset < 0 ? "-" : "+"
        let offsetText = "\(sign)\(twoDigits(abs(offset) / 3600)):\(twoDigits(abs(offset) % 3600 / 60))"
        let prefix = weekday ? Self.weekdays[day.weekday] + " " : ""
        return weekday ? "\(prefix)\(day) \(clock(wall)) \(offsetText)" : "\(day)T\(clock(wall))\(offsetText)"
    }

    private func utc(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        return "\(CivilDate(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))) \(clock(seconds))Z"
    }

    /// `HH:MM:SS` of a wall time.
    private func clock(_ wall: Int) -> String {
        let secondOfDay = ((wall % 86_400) + 86_400) % 86_400
        return "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay % 3600 / 60)):\(twoDigits(secondOfDay % 60))"
    }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
}
