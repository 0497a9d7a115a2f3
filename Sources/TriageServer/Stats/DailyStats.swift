import Foundation
import TriageCron

/// One aggregated day (DESIGN §4): counts for the half-open local day window.
public struct DailyStats: Codable, Sendable, Equatable {
    public var date: CivilDate
    public var createdCount: Int
    public var resolvedCount: Int
    public var commentCount: Int
    /// When the numbers were counted.
    public var aggregatedAt: Date
    /// Today's row, counted live over [today 00:00, aggregatedAt); the batch's row replaces it once the day is over.
    public var partial: Bool = false

    /// The JSON keys, in the order CSV columns follow.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case date, createdCount, resolvedCount, commentCount, aggregatedAt, partial
    }

    init(date: CivilDate, counts: DayCounts, aggregatedAt: Date, partial: Bool = false) {
        self.date = date
        createdCount = counts.created
        resolvedCount = counts.resolved
        commentCount = counts.comments
        self.aggregatedAt = aggregatedAt
        self.partial = partial
    }

    init(date: CivilDate, createdCount: Int, resolvedCount: Int, commentCount: Int, aggregatedAt: Date, partial: Bool = false) {
        self.init(date: date, counts: DayCounts(created: createdCount, resolved: resolvedCount, comments: commentCount), aggregatedAt: aggregatedAt, partial: partial)
    }
}

/// What the batch counts for a window, by the rules of `StoreSQL.Stats.windowCounts`.
public struct DayCounts: Sendable, Equatable {
    public var created: Int
    public var resolved: Int
    public var comments: Int

    static let zero = DayCounts(created: 0, resolved: 0, comments: 0)

    /// Two consecutive parts of a day (`windowCounts` counts a resolution in one part only).
    static func + (earlier: DayCounts, later: DayCounts) -> DayCounts {
        DayCounts(created: earlier.created + later.created, resolved: earlier.resolved + later.resolved, comments: earlier.comments + later.comments)
    }
}

extension CivilDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a YYYY-MM-DD date"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The instants a local day spans: [start, end).
public struct DayWindow: Sendable, Equatable {
    public let date: CivilDate
    public let start: Date
    public let end: Date

    public init(date: CivilDate, zone: ZonedTime) {
        self.date = date
        start = Date(timeIntervalSince1970: TimeInterval(zone.startOfDay(date)))
        end = Date(timeIntervalSince1970: TimeInterval(zone.startOfDay(date.adding(days: 1))))
    }

    private init(date: CivilDate, start: Date, end: Date) {
        self.date = date
        self.start = start
        self.end = end
    }

    /// The part of the day up to `instant`: today so far. Times are stored rounded to
    /// the millisecond (`StoreTime`), so the window ends after `instant`'s millisecond:
    /// a write stamped in it came before the count.
    public func until(_ instant: Date) -> DayWindow {
        ending(at: Date(timeIntervalSince1970: ((instant.timeIntervalSince1970 * 1000).rounded() + 1) / 1000))
    }

    /// The part of the day before `end`.
    public func ending(at end: Date) -> DayWindow {
        DayWindow(date: date, start: start, end: max(start, min(self.end, end)))
    }
}
