-- The benchmark data set of bench/generate.sql, for PostgreSQL: 1,000,000
-- issues, 3,000,000 comments and their status events over the year before
-- today (UTC). Run against a database migrated by triaged.
SET synchronous_commit = off;
BEGIN;
INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1000000, 'bench', 'x', 'MEMBER', 0);
INSERT INTO issues (title, description, status, priority, reporter_id, view_count, comment_count, created_at, updated_at)
SELECT 'issue ' || i, '', 'OPEN', 'MEDIUM', 1000000, floor(random() * 500)::bigint, 3, t, t
FROM generate_series(1, 1000000) AS i,
     LATERAL (SELECT ((extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC'))::bigint - 1
                       - (i::bigint * 7919) % (365 * 86400)) * 1000 + i % 1000) AS t) AS created;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, NULL, 'OPEN', created_at, 1000000 FROM issues;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'RESOLVED', created_at + 3600000 * (1 + id % 72), 1000000 FROM issues WHERE id % 3 = 0;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'RESOLVED', 'CLOSED', created_at + 3600000 * (2 + id % 96), 1000000 FROM issues WHERE id % 6 = 0;
INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
SELECT id, 1000000, 'comment', created_at + 600000 * j * (1 + id % 50), created_at + 600000 * j * (1 + id % 50)
FROM issues, generate_series(1, 3) AS j;
COMMIT;
VACUUM ANALYZE;
