-- The benchmark data set: 1,000,000 issues, 3,000,000 comments and their
-- status events, spread over the year before today (UTC), so the last 7 days
-- hold about 19,000 issues for the popular query.
-- Run against a database migrated by triaged.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1000000, 'bench', 'x', 'MEMBER', 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO issues (title, description, status, priority, reporter_id, view_count, comment_count, created_at, updated_at)
SELECT 'issue ' || i, '', 'OPEN', 'MEDIUM', 1000000, abs(random()) % 500, 3,
       (CAST(strftime('%s', 'now', 'start of day') AS INTEGER) - 1 - (i * 7919) % (365 * 86400)) * 1000 + i % 1000, 0
FROM n;
UPDATE issues SET updated_at = created_at;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, NULL, 'OPEN', created_at, 1000000 FROM issues;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'RESOLVED', created_at + 3600000 * (1 + id % 72), 1000000 FROM issues WHERE id % 3 = 0;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'RESOLVED', 'CLOSED', created_at + 3600000 * (2 + id % 96), 1000000 FROM issues WHERE id % 6 = 0;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
SELECT id, 1000000, 'comment', created_at + 600000 * j * (1 + id % 50), created_at + 600000 * j * (1 + id % 50) FROM issues, k;
COMMIT;
ANALYZE;
