import Foundation

/// One aggregated day (DESIGN §4): counts for the half-open local day window.
public struct DailyStats: Codable, Sendable, Equatable {
    public var date: CivilDate
    public var createdCount: Int
    public var resolvedCount: Int
    public var commentCount: Int
    public var aggregatedAt: Date

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
}
