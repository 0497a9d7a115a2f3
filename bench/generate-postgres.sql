-- The data set of bench/generate.sql for PostgreSQL, sized by the psql
-- variables :issues and :comments (bench/dataset.py sets them), with the
-- same skew. Run against a database migrated by triaged.
SET synchronous_commit = off;
BEGIN;
INSERT INTO users (id, username, password_hash, role, created_at)
SELECT 1000000 + i, CASE WHEN i = 0 THEN 'bench' ELSE 'user' || i END, 'x', 'MEMBER', 0 FROM generate_series(0, 999) AS i;
INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, view_count, comment_count, created_at, updated_at)
SELECT 'issue ' || i, '',
       CASE i % 5 WHEN 0 THEN 'CLOSED' WHEN 1 THEN 'CLOSED' WHEN 2 THEN 'RESOLVED' WHEN 3 THEN 'IN_PROGRESS' ELSE 'OPEN' END,
       'MEDIUM',
       CASE WHEN i % 2 = 0 THEN 1000000 WHEN i % 10 IN (1, 3) THEN 1000001 + (i / 10) % 9 ELSE 1000010 + (i * 31) % 990 END,
       CASE WHEN i % 100000 = 7 THEN 1000999 WHEN i % 4 = 1 THEN 1000001 + (i * 13) % 100 ELSE NULL END,
       floor(random() * 500)::bigint, :comments, t, t
FROM generate_series(1, :issues) AS i,
     LATERAL (SELECT ((extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC'))::bigint - 1
                       - (i::bigint * 7919) % (365 * 86400)) * 1000 + i % 1000) AS t) AS created;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, NULL, 'OPEN', created_at, 1000000 FROM issues;
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'RESOLVED', created_at + 3600000 * (1 + id % 72), 1000000 FROM issues WHERE id % 5 IN (0, 1, 2);
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'RESOLVED', 'CLOSED', created_at + 3600000 * (2 + id % 96), 1000000 FROM issues WHERE id % 5 IN (0, 1);
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'IN_PROGRESS', created_at + 3600000 * (1 + id % 24), 1000000 FROM issues WHERE id % 5 = 3;
INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
SELECT id, 1000000, 'comment', created_at + 600000 * j * (1 + id % 50), created_at + 600000 * j * (1 + id % 50)
FROM issues, generate_series(1, :comments) AS j;
DELETE FROM issue_counts;
INSERT INTO issue_counts (status, shard, n) SELECT status, id % 16, COUNT(*) FROM issues GROUP BY status, id % 16;
COMMIT;
VACUUM ANALYZE;
