/// The statements both stores run as they are (see `SharedStatement`); the
/// lists, built per request, are in `ListSQL`. What differs stays in the
/// stores: locking (`FOR UPDATE`, advisory locks) and how a transaction is opened.
enum StoreSQL {
    enum Users {
        static let insert = SharedStatement("INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING *")
        static let byID = SharedStatement("SELECT * FROM users WHERE id = $1")
        static let byName = SharedStatement("SELECT * FROM users WHERE username = $1")
        static let setRole = SharedStatement("UPDATE users SET role = $1 WHERE id = $2")
        static let countWithRole = SharedStatement("SELECT COUNT(*) AS n FROM users WHERE role = $1")
        static let exists = SharedStatement("SELECT 1 AS one FROM users WHERE id = $1")
        static let all = SharedStatement("SELECT * FROM users ORDER BY id")
        /// ADMINs who can still act: the last-ADMIN rule counts these (PostgreSQL locks them first).
        private static let enabledAdmins = "role = 'ADMIN' AND disabled_at IS NULL"
        static let countEnabledAdmins = SharedStatement("SELECT COUNT(*) AS n FROM users WHERE \(enabledAdmins)")
        static let lockEnabledAdmins = SharedStatement("SELECT id FROM users WHERE \(enabledAdmins) ORDER BY id FOR UPDATE")
        static let setPassword = SharedStatement("UPDATE users SET password_hash = $1, tokens_valid_after = $2 WHERE id = $3")
        static let disable = SharedStatement("UPDATE users SET disabled_at = $1, tokens_valid_after = $1 WHERE id = $2")
        static let enable = SharedStatement("UPDATE users SET disabled_at = NULL WHERE id = $1")
    }

    enum Issues {
        static let insert = SharedStatement("""
            INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, created_at, updated_at)
            VALUES ($1, $2, 'OPEN', $3, $4, $5, $6, $6) RETURNING *
            """)
        static let byID = SharedStatement("SELECT * FROM issues WHERE id = $1")
        static let addViews = SharedStatement("UPDATE issues SET view_count = view_count + $1 WHERE id = $2")
        static let update = SharedStatement("""
            UPDATE issues SET title = $1, description = $2, status = $3, priority = $4, assignee_id = $5, updated_at = $6
            WHERE id = $7 RETURNING *
            """)
        static let delete = SharedStatement("DELETE FROM issues WHERE id = $1 RETURNING id, status")
        static let exists = SharedStatement("SELECT 1 AS one FROM issues WHERE id = $1")
        /// The maintained counters and the covering popularity index: rank ids from the
        /// index (one uncorrelated subquery, run once), then read just those rows.
        static let popular = SharedStatement("""
            SELECT * FROM issues WHERE id IN (
                SELECT id FROM issues WHERE created_at >= $1
                ORDER BY view_count + comment_count DESC, created_at DESC, id DESC LIMIT $2
            )
            ORDER BY view_count + comment_count DESC, created_at DESC, id DESC
            """)
        static let insertStatusEvent = SharedStatement(
            "INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id) VALUES ($1, $2, $3, $4, $5)"
        )
        static let statusEvents = SharedStatement("SELECT * FROM issue_status_events WHERE issue_id = $1 ORDER BY id")
    }

    enum Comments {
        /// Counting first takes the issue's row lock (PostgreSQL): concurrent comments add up exactly.
        static let countOneMore = SharedStatement("UPDATE issues SET comment_count = comment_count + 1 WHERE id = $1 RETURNING id")
        static let countOneLess = SharedStatement("UPDATE issues SET comment_count = comment_count - 1 WHERE id = $1")
        static let insert = SharedStatement("""
            INSERT INTO comments (issue_id, author_id, content, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *
            """)
        static let byID = SharedStatement("SELECT * FROM comments WHERE id = $1")
        static let update = SharedStatement("UPDATE comments SET content = $1, updated_at = $2 WHERE id = $3 RETURNING *")
        static let delete = SharedStatement("DELETE FROM comments WHERE id = $1 RETURNING issue_id")
    }

    enum ExternalSnapshots {
        static let byURL = SharedStatement("SELECT body, fetched_at FROM external_snapshots WHERE url = $1")
        static let save = SharedStatement("""
            INSERT INTO external_snapshots (url, body, fetched_at) VALUES ($1, $2, $3)
            ON CONFLICT (url) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at
            """)
    }

    enum Stats {
        /// A day's counts in [$2, $3), the day starting at $1: for the batch ($1 = $2) and
        /// for today's live row alike. Resolved is entering RESOLVED or CLOSED, read from the
        /// history: a later edit never moves it, and RESOLVED then CLOSED on one day is one
        /// issue, also when [$1, $2) holds the first and [$2, $3) the second (counted there
        /// only: the day's counts are then the sum of its parts). `$1 = $2` spares the whole
        /// day that probe per resolution. The probe is a scalar subquery, looked up per
        /// resolution by issue: PostgreSQL turned a NOT EXISTS there into a hash of every
        /// resolution earlier that day, which cost more than the rest of the count.
        static let windowCounts = SharedStatement("""
            SELECT
                (SELECT COUNT(*) FROM issues WHERE created_at >= $2 AND created_at < $3) AS created,
                (SELECT COUNT(DISTINCT e.issue_id) FROM issue_status_events e
                    WHERE e.to_status IN ('RESOLVED', 'CLOSED') AND e.at >= $2 AND e.at < $3
                    AND ($1 = $2 OR (SELECT MIN(p.at) FROM issue_status_events p WHERE p.issue_id = e.issue_id
                        AND p.to_status IN ('RESOLVED', 'CLOSED') AND p.at >= $1) >= $2)) AS resolved,
                (SELECT COUNT(*) FROM comments WHERE created_at >= $2 AND created_at < $3) AS comments
            """)
        static let upsertDay = SharedStatement("""
            INSERT INTO daily_stats (date, created_count, resolved_count, comment_count, aggregated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (date) DO UPDATE SET created_count = excluded.created_count,
                resolved_count = excluded.resolved_count, comment_count = excluded.comment_count,
                aggregated_at = excluded.aggregated_at
            """)
        static let days = SharedStatement("SELECT * FROM daily_stats WHERE date >= $1 AND date <= $2 ORDER BY date")
        static let dayDates = SharedStatement("SELECT date FROM daily_stats WHERE date >= $1 AND date <= $2")
        static let releaseLease = SharedStatement("DELETE FROM batch_leases WHERE job = $1 AND holder = $2")
        static let takeOverLease = SharedStatement("UPDATE batch_leases SET holder = $1, expires_at = $2 WHERE job = $3 AND holder = $4 RETURNING job")
        static let updateRun = SharedStatement("UPDATE batch_runs SET duration_seconds = $1, outcome = $2, error = $3, rows_written = $4 WHERE id = $5")
        static let closeAbandonedRuns = SharedStatement("UPDATE batch_runs SET outcome = $1, error = $2 WHERE outcome = $3 AND job = $4 RETURNING id")
        static let insertRun = SharedStatement("""
            INSERT INTO batch_runs (job, trigger, from_date, to_date, started_at, duration_seconds, outcome, error, rows_written, instance)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
            """)
        static let runs = SharedStatement("SELECT * FROM batch_runs WHERE job = $1 ORDER BY started_at DESC, id DESC LIMIT $2")
        static let pruneRuns = SharedStatement("DELETE FROM batch_runs WHERE started_at < $1 RETURNING id")
    }
}
