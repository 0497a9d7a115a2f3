import ArgumentParser

/// `--from D --to D`, for the commands that take a range of days (or one other
/// way of naming days, which they check against `isGiven`).
struct DayRangeOptions: ParsableArguments {
    @Option(help: "First day (YYYY-MM-DD in stats.timezone, with --to).")
    var from: String?

    @Option(help: "Last day (YYYY-MM-DD, with --from); at most 366 days.")
    var to: String?

    var isGiven: Bool { from != nil || to != nil }

    func validate() throws {
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }
}
