-- The benchmark data set: 1,000,000 issues, 3,000,000 comments and their
-- status events, spread over the year before today (UTC), so the last 7 days
-- hold about 19,000 issues for the popular query.
-- Run against a database migrated by triaged.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO users (id, username, passwordHash, role, createdAt) VALUES (1000000, 'bench', 'x', 'MEMBER', 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO issues (title, description, status, priority, reporterId, viewCount, commentCount, createdAt, updatedAt)
SELECT 'issue ' || i, '', 'OPEN', 'MEDIUM', 1000000, abs(random()) % 500, 3,
       (CAST(strftime('%s', 'now', 'start of day') AS INTEGER) - 1 - (i * 7919) % (365 * 86400)) * 1000 + i % 1000, 0
FROM n;
UPDATE issues SET updatedAt = createdAt;
INSERT INTO issue_status_events (issueId, fromStatus, toStatus, at, actorId)
SELECT id, NULL, 'OPEN', createdAt, 1000000 FROM issues;
INSERT INTO issue_status_events (issueId, fromStatus, toStatus, at, actorId)
SELECT id, 'OPEN', 'RESOLVED', createdAt + 3600000 * (1 + id % 72), 1000000 FROM issues WHERE id % 3 = 0;
INSERT INTO issue_status_events (issueId, fromStatus, toStatus, at, actorId)
SELECT id, 'RESOLVED', 'CLOSED', createdAt + 3600000 * (2 + id % 96), 1000000 FROM issues WHERE id % 6 = 0;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
INSERT INTO comments (issueId, authorId, content, createdAt, updatedAt)
SELECT id, 1000000, 'comment', createdAt + 600000 * j * (1 + id % 50), createdAt + 600000 * j * (1 + id % 50) FROM issues, k;
COMMIT;
ANALYZE;
