import Foundation

/// Converts between instants and wall-clock times of one IANA zone, saying
/// plainly what happens at DST transitions: a wall time that does not exist
/// (spring forward) maps to the first instant after the gap; one that exists
/// twice (fall back) maps to its first occurrence.
public struct ZonedTime: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// Seconds since the epoch, as if the wall time were UTC.
    public typealias WallSeconds = Int

    public func offset(at instant: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    public func wallSeconds(at instant: Int) -> WallSeconds {
        instant + offset(at: instant)
    }

    /// The local calendar day containing `instant`.
    public func date(at instant: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: Int((Double(wallSeconds(at: instant)) / 86_400).rounded(.down)))
    }

    public func date(at instant: Date) -> CivilDate {
        date(at: Int(instant.timeIntervalSince1970.rounded(.down)))
    }

    /// The instant a wall time names (see the type's note for gaps and overlaps).
    public func instant(atWall wall: WallSeconds) -> Int {
        // Real zones change offset at most once within a day, so the offsets a
        // day either side bound every candidate.
        let before = offset(at: wall - 86_400)
        let after = offset(at: wall + 86_400)
        let exact = [wall - before, wall - after].filter { wallSeconds(at: $0) == wall }
        if let first = exact.min() { return first }
        // In a gap: the first instant whose wall time is at or after `wall`.
        var low = wall - max(before, after)
        var high = wall - min(before, after)
        while low < high {
            let middle = low + (high - low) / 2
            if wallSeconds(at: middle) >= wall { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// How many instants show this wall time: 0 in a gap, 2 in an overlap, else 1.
    public func occurrences(ofWall wall: WallSeconds) -> Int {
        let offsets = Set([offset(at: wall - 86_400), offset(at: wall + 86_400)])
        return Set(offsets.map { wall - $0 }.filter { wallSeconds(at: $0) == wall }).count
    }

    /// Local midnight starting `date`: the start of its half-open window.
    public func startOfDay(_ date: CivilDate) -> Int {
        instant(atWall: date.daysSinceEpoch * 86_400)
    }
}
