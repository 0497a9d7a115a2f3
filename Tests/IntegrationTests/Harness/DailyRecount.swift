import Foundation

/// Daily statistics recounted in Swift from raw rows, by UTC day: a check on the
/// store's aggregation that shares none of its SQL.
enum DailyRecount {
    /// `[date: [created, resolved, comments]]`. `created` and `comments` are creation
    /// times, `resolutions` the `issue_id|at` of every move into RESOLVED or CLOSED
    /// (all in epoch milliseconds, one per line, as sqlite3 and psql print them).
    static func counts(created: String, resolutions: String, comments: String) -> [String: [Int]] {
        var counts: [String: [Int]] = [:]
        for line in created.split(separator: "\n") {
            if let date = day(line) { counts[date, default: [0, 0, 0]][0] += 1 }
        }
        // An issue resolved and then closed on one day counts once.
        var resolved: Set<String> = []
        for line in resolutions.split(separator: "\n") {
            let parts = line.split(separator: "|")
            if parts.count == 2, let date = day(parts[1]) { resolved.insert("\(date)|\(parts[0])") }
        }
        for key in resolved { counts[String(key.prefix(10)), default: [0, 0, 0]][1] += 1 }
        for line in comments.split(separator: "\n") {
            if let date = day(line) { counts[date, default: [0, 0, 0]][2] += 1 }
        }
        return counts
    }

    /// `date|created|resolved|comments` lines as the same dictionary.
    static func rows(_ output: String) -> [String: [Int]] {
        var rows: [String: [Int]] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4 else { continue }
            rows[parts[0]] = parts.dropFirst().compactMap { Int($0) }
        }
        return rows
    }

    static func day(_ milliseconds: some StringProtocol) -> String? {
        guard let value = Int64(milliseconds.trimmingCharacters(in: .whitespaces)) else { return nil }
        let seconds = value >= 0 ? value / 1000 : (value - 999) / 1000
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// `count` consecutive dates from `first`.
    static func days(from first: String, count: Int) -> [String] {
        guard let start = formatter.date(from: first) else { return [] }
        return (0..<count).map { formatter.string(from: start.addingTimeInterval(Double($0) * 86_400)) }
    }

    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()
}
