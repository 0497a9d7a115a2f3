/// The `@` shorthands cron, Spring and croniter share, as the fields they stand for.
enum CronMacro {
    static func fields(for text: Substring) -> String? {
        switch text.lowercased() {
        case "@yearly", "@annually": return "0 0 0 1 1 *"
        case "@monthly": return "0 0 0 1 * *"
        case "@weekly": return "0 0 0 * * 0"
        case "@daily", "@midnight": return "0 0 0 * * *"
        case "@hourly": return "0 0 * * * *"
        default: return nil
        }
    }

    static let names = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
}
