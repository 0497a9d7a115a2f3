import Foundation
import TriageCron

/// A result row of either store, read by column name, so that each entity's
/// columns are mapped in one place (`StoreRows`) for both stores.
protocol StoreRow {
    func int64(_ column: String) throws -> Int64
    func optionalInt64(_ column: String) throws -> Int64?
    func string(_ column: String) throws -> String
    func optionalString(_ column: String) throws -> String?
    func double(_ column: String) throws -> Double
}

extension StoreRow {
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func date(_ column: String) throws -> Date { StoreTime.date(try int64(column)) }
}

/// How each entity is read from its table: the column names, once.
enum StoreRows {
    static func user(_ row: some StoreRow) throws -> User {
        User(
            id: try row.int64("id"), username: try row.string("username"),
            role: Role(rawValue: try row.string("role")) ?? .viewer, createdAt: try row.date("created_at"),
            disabledAt: try row.optionalInt64("disabled_at").map(StoreTime.date),
            tokensValidAfter: try row.optionalInt64("tokens_valid_after").map(StoreTime.date)
        )
    }

    static func credentials(_ row: some StoreRow) throws -> UserCredentials {
        UserCredentials(user: try user(row), passwordHash: try row.string("password_hash"))
    }

    static func issue(_ row: some StoreRow) throws -> Issue {
        Issue(
            id: try row.int64("id"), title: try row.string("title"), description: try row.string("description"),
            status: IssueStatus(rawValue: try row.string("status")) ?? .open,
            priority: IssuePriority(rawValue: try row.string("priority")) ?? .medium,
            reporterId: try row.int64("reporter_id"), assigneeId: try row.optionalInt64("assignee_id"),
            viewCount: try row.int("view_count"), commentCount: try row.int("comment_count"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
        )
    }

    /// One row of `ListSQL.statusCounts`.
    static func statusCount(_ row: some StoreRow) throws -> (status: String, count: Int) {
        (try row.string("status"), try row.int("n"))
    }

    static func statusEvent(_ row: some StoreRow) throws -> IssueStatusEvent {
        IssueStatusEvent(
            issueId: try row.int64("issue_id"),
            from: try row.optionalString("from_status").flatMap(IssueStatus.init(rawValue:)),
            to: IssueStatus(rawValue: try row.string("to_status")) ?? .open,
            at: try row.date("at"),
            actorId: try row.optionalInt64("actor_id")
        )
    }

    static func comment(_ row: some StoreRow) throws -> Comment {
        Comment(
            id: try row.int64("id"), issueId: try row.int64("issue_id"), authorId: try row.int64("author_id"),
            content: try row.string("content"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
        )
    }

    static func dayCounts(_ row: some StoreRow) throws -> DayCounts {
        DayCounts(created: try row.int("created"), resolved: try row.int("resolved"), comments: try row.int("comments"))
    }

    /// nil for a row whose date does not parse (never written by Triage; skipped rather than fatal).
    static func dailyStats(_ row: some StoreRow) throws -> DailyStats? {
        guard let date = CivilDate(try row.string("date")) else { return nil }
        return DailyStats(
            date: date, createdCount: try row.int("created_count"), resolvedCount: try row.int("resolved_count"),
            commentCount: try row.int("comment_count"), aggregatedAt: try row.date("aggregated_at")
        )
    }

    /// nil for a row whose dates, trigger or outcome this build does not know.
    static func batchRun(_ row: some StoreRow) throws -> BatchRun? {
        guard let from = CivilDate(try row.string("from_date")), let to = CivilDate(try row.string("to_date")),
              let trigger = BatchTrigger(rawValue: try row.string("trigger")), let outcome = RunOutcome(rawValue: try row.string("outcome"))
        else { return nil }
        return BatchRun(
            id: try row.int64("id"), trigger: trigger, from: from, to: to, startedAt: try row.date("started_at"),
            durationSeconds: try row.double("duration_seconds"), outcome: outcome, error: try row.optionalString("error"),
            rowsWritten: try row.int("rows_written"), instance: try row.string("instance")
        )
    }
}
