import Foundation
import TriageControlAPI

/// `triagectl stats`'s two renderings of a report: bars for a person at a terminal,
/// plain columns for a pipe. Every day of the range has a line, aggregated or not.
struct StatsChart {
    let report: DailyStatsReport

    /// A day of the range and its row, if it has one.
    private var lines: [(date: String, day: DailyStatsDay?)] {
        let rows = Dictionary(report.days.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
        return Self.dates(from: report.from, to: report.to).map { ($0, rows[$0]) }
    }

    private var totals: (created: Int, resolved: Int, comments: Int) {
        report.days.reduce(into: (0, 0, 0)) { sum, day in
            sum.0 += day.createdCount
            sum.1 += day.resolvedCount
            sum.2 += day.commentCount
        }
    }

    /// Totals and the resolved/created ratio (how well resolutions keep up), short
    /// enough for a narrow terminal.
    private var summary: String {
        let (created, resolved, comments) = totals
        let ratio = created == 0 ? "n/a" : String(format: "%.2f", Double(resolved) / Double(created))
        return "total: created \(created), resolved \(resolved), comments \(comments)\nresolved/created: \(ratio)"
    }

    private var partialNote: String? {
        guard let today = report.days.first(where: \.partial) else { return nil }
        return "* today so far (partial), counted \(today.aggregatedAt.formatted(.iso8601))"
    }

    func columns() -> String {
        let header = ["DATE", "CREATED", "RESOLVED", "COMMENTS", "NOTE"]
        let rows = lines.map { date, day -> [String] in
            guard let day else { return [date, "-", "-", "-", "not aggregated"] }
            return [date, String(day.createdCount), String(day.resolvedCount), String(day.commentCount), day.partial ? "partial" : ""]
        }
        return ([Table.columns([header] + rows), summary] + [partialNote].compactMap { $0 }).joined(separator: "\n")
    }

    /// Created and resolved as bars on one scale, the comments as a number, in `width` columns.
    func bars(width: Int) -> String {
        let lines = lines
        let largest = max(1, report.days.map { max($0.createdCount, $0.resolvedCount) }.max() ?? 0)
        let numberWidth = String(largest).count
        let commentWidth = max("COMMENTS".count, String(report.days.map(\.commentCount).max() ?? 0).count)
        // date (10) + marker + gaps, then each series is a bar, a space and its number.
        let fixed = 10 + 1 + 2 + 2 * (1 + numberWidth) + 2 * 2 + commentWidth
        let barWidth = max(4, (width - fixed) / 2)
        let seriesWidth = barWidth + 1 + numberWidth
        func cell(_ value: Int) -> String {
            let number = String(value)
            return String(repeating: " ", count: numberWidth - number.count) + number + " " + Self.bar(value, of: largest, width: barWidth)
        }
        var output = ["Issues per day, \(report.from) to \(report.to) (\(report.timeZone))"]
        output.append(
            "DATE".padding(toLength: 13, withPad: " ", startingAt: 0)
                + "CREATED".padding(toLength: seriesWidth + 2, withPad: " ", startingAt: 0)
                + "RESOLVED".padding(toLength: seriesWidth + 2, withPad: " ", startingAt: 0) + "COMMENTS"
        )
        for (date, day) in lines {
            guard let day else {
                output.append(date + "    (not aggregated)")
                continue
            }
            output.append(date + (day.partial ? "*" : " ") + "  " + cell(day.createdCount) + "  " + cell(day.resolvedCount) + "  " + String(day.commentCount))
        }
        output.append(summary)
        if let partialNote { output.append(partialNote) }
        return output.joined(separator: "\n")
    }

    /// `value` of `largest` as a bar of at most `width` cells, in eighths of a cell.
    static func bar(_ value: Int, of largest: Int, width: Int) -> String {
        let eighths = Int((Double(value) / Double(max(largest, 1)) * Double(width * 8)).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let bar = String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
        return bar.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    /// Every YYYY-MM-DD from `from` to `to`, by the proleptic Gregorian calendar in UTC
    /// (dates here are days, not instants).
    static func dates(from: String, to: String) -> [String] {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let first = formatter.date(from: from), let last = formatter.date(from: to), first <= last else { return [] }
        var dates: [String] = []
        var day = first
        while day <= last && dates.count <= 366 {
            dates.append(formatter.string(from: day))
            day = day.addingTimeInterval(86_400)
        }
        return dates
    }
}

/// The size of the terminal standard output writes to.
enum Terminal {
    /// Its width in columns: the kernel's answer, else $COLUMNS, else 80.
    static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}
