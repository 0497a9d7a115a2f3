-- The benchmark data set, sized by @issues and @comments (comments per issue),
-- which bench/dataset.py sets: issues spread over the year before today (UTC)
-- with a skew a real tracker has. Half the issues come from one reporter
-- ('bench', 1000000), a fifth from nine more, the rest from 990 others; three
-- in four are unassigned, a quarter go to 100 assignees, and one assignee
-- (1000999) has one issue in 100,000. Statuses: 40 % CLOSED, 20 % RESOLVED,
-- 20 % IN_PROGRESS, 20 % OPEN, each with its status events.
-- Run against a database migrated by triaged.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
-- One transaction writes every index in random order: keep their pages in memory
-- (at 10 M issues the default 2 MiB cache made it run for hours).
PRAGMA cache_size = -8388608;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO users (id, username, password_hash, role, created_at)
SELECT 1000000 + i, CASE WHEN i = 0 THEN 'bench' ELSE 'user' || i END, 'x', 'MEMBER', 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @issues)
INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, view_count, comment_count, created_at, updated_at)
SELECT 'issue ' || i, '',
       CASE i % 5 WHEN 0 THEN 'CLOSED' WHEN 1 THEN 'CLOSED' WHEN 2 THEN 'RESOLVED' WHEN 3 THEN 'IN_PROGRESS' ELSE 'OPEN' END,
       'MEDIUM',
       CASE WHEN i % 2 = 0 THEN 1000000 WHEN i % 10 IN (1, 3) THEN 1000001 + (i / 10) % 9 ELSE 1000010 + (i * 31) % 990 END,
       CASE WHEN i % 100000 = 7 THEN 1000999 WHEN i % 4 = 1 THEN 1000001 + (i * 13) % 100 ELSE NULL END,
       abs(random()) % 500, @comments,
       (CAST(strftime('%s', 'now', 'start of day') AS INTEGER) - 1 - (i * 7919) % (365 * 86400)) * 1000 + i % 1000, 0
FROM n;
UPDATE issues SET updated_at = created_at;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, NULL, 'OPEN', created_at, 1000000 FROM issues;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'RESOLVED', created_at + 3600000 * (1 + id % 72), 1000000 FROM issues WHERE id % 5 IN (0, 1, 2);
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'RESOLVED', 'CLOSED', created_at + 3600000 * (2 + id % 96), 1000000 FROM issues WHERE id % 5 IN (0, 1);
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'IN_PROGRESS', created_at + 3600000 * (1 + id % 24), 1000000 FROM issues WHERE id % 5 = 3;
WITH RECURSIVE k(j) AS (SELECT 1 WHERE @comments >= 1 UNION ALL SELECT j + 1 FROM k WHERE j < @comments)
INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
SELECT id, 1000000, 'comment', created_at + 600000 * j * (1 + id % 50), created_at + 600000 * j * (1 + id % 50) FROM issues, k;
-- Written around the repositories: count them as migration 0003 does.
DELETE FROM issue_counts;
INSERT INTO issue_counts (status, shard, n) SELECT status, id % 16, COUNT(*) FROM issues GROUP BY status, id % 16;
COMMIT;
ANALYZE;
