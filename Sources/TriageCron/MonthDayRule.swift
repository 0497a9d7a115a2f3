/// Quartz's day forms, which Spring accepts too: days that depend on the month
/// they fall in, so no fixed set of values can say them.
enum MonthDayRule: Hashable, Sendable {
    /// Day of month `L` (offset 0) or `L-n`: the month's last day, or n days before it.
    case lastDay(offset: Int)
    /// Day of month `LW`: the month's last weekday (Monday to Friday).
    case lastWeekday
    /// Day of month `nW`: the weekday nearest day n, never leaving the month.
    case nearestWeekday(to: Int)
    /// Day of week `dL`: the month's last day d (0 = Sunday).
    case last(weekday: Int)
    /// Day of week `d#n`: the month's n-th day d; a month without one does not fire.
    case nth(weekday: Int, ordinal: Int)

    /// `L-30` at most, as Quartz allows: every offset up to it leaves a day in a 31-day month.
    static let largestOffset = 30
    static let largestOrdinal = 5

    func matches(_ date: CivilDate) -> Bool {
        let length = CivilDate.daysIn(month: date.month, year: date.year)
        switch self {
        case .lastDay(let offset):
            return date.day == length - offset
        case .lastWeekday:
            return date.day == Self.weekdayNearest(length, in: date, length: length)
        case .nearestWeekday(let target):
            return date.day == Self.weekdayNearest(target, in: date, length: length)
        case .last(let weekday):
            let lastWeekday = CivilDate(year: date.year, month: date.month, day: length).weekday
            return date.day == length - (lastWeekday - weekday + 7) % 7
        case .nth(let weekday, let ordinal):
            let firstWeekday = CivilDate(year: date.year, month: date.month, day: 1).weekday
            return date.day == 1 + (weekday - firstWeekday + 7) % 7 + 7 * (ordinal - 1)
        }
    }

    /// Whether a month of `length` days can hold the day at all (`L-30` cannot in February).
    func isPossible(inMonthOf length: Int) -> Bool {
        if case .lastDay(let offset) = self { return length - offset >= 1 }
        return true
    }

    /// Saturday moves to Friday and Sunday to Monday, unless that leaves the month: a Saturday
    /// 1st moves to Monday the 3rd, a Sunday last day to Friday. A day past the month's end
    /// is its last day (croniter's reading; Spring and Quartz differ among themselves there).
    private static func weekdayNearest(_ target: Int, in date: CivilDate, length: Int) -> Int {
        let day = min(target, length)
        switch CivilDate(year: date.year, month: date.month, day: day).weekday {
        case 6: return day > 1 ? day - 1 : day + 2
        case 0: return day < length ? day + 1 : day - 2
        default: return day
        }
    }
}
