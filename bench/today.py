#!/usr/bin/env python3
"""Today's live statistics row (issue #17) at the benchmark's size, on both stores.

The data set (bench/generate.sql, 1 M issues, 3 M comments) ends at today
00:00 UTC; a full day's worth of rows (1/365 of it: 2,740 issues, their
resolutions and 3 comments each) is added between today 00:00 and now, so
the live count covers as many rows as a whole day will. Then triaged runs
with stats.liveTtl = 0 (every request counts today) and is asked 1,000 times
for today's row, beside:
  * the same request for a past day (no live count: HTTP, auth and JSON alone);
  * the anchor, the same statement (StoreSQL.Stats.windowCounts) run directly:
    Python's sqlite3 on the file, psql's server-side \\timing on PostgreSQL.
The count's cost inside triaged is the `stats-today` cache's load time
(triage_cache_load_seconds_total / triage_cache_loads_total on /metrics).
"""
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import dataset
from postgres import SCRIPTS, SECRET, psql_ms

REQUESTS = int(os.environ.get("TODAY_REQUESTS", "1000"))
ISSUES_TODAY = 2740

WINDOW_COUNTS = """SELECT
    (SELECT COUNT(*) FROM issues WHERE created_at >= {start} AND created_at < {end}) AS created,
    (SELECT COUNT(DISTINCT issue_id) FROM issue_status_events
        WHERE to_status IN ('RESOLVED', 'CLOSED') AND at >= {start} AND at < {end}) AS resolved,
    (SELECT COUNT(*) FROM comments WHERE created_at >= {start} AND created_at < {end}) AS comments"""


def today_rows(start, now, series):
    """A day's rows between `start` and `now` (ms); `series` yields i = 1…ISSUES_TODAY in the store's dialect."""
    return f"""
INSERT INTO issues (title, description, status, priority, reporter_id, created_at, updated_at)
SELECT 'today ' || i, '', 'OPEN', 'MEDIUM', 1000000, {start} + (i * ({now} - {start})) / {ISSUES_TODAY + 1}, 0 FROM {series};
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, NULL, 'OPEN', created_at, 1000000 FROM issues WHERE created_at >= {start};
INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
SELECT id, 'OPEN', 'RESOLVED', created_at, 1000000 FROM issues WHERE created_at >= {start} AND id % 5 IN (0, 1, 2);
INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
SELECT id, 1000000, 'comment', created_at, created_at FROM issues, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) AS three
WHERE created_at >= {start};
"""


def day_bounds():
    now = datetime.now(timezone.utc)
    start = datetime(now.year, now.month, now.day, tzinfo=timezone.utc)
    return start.date(), int(start.timestamp() * 1000), int(now.timestamp() * 1000)


class Daemon:
    def __init__(self, triaged, triagectl, work, env):
        self.triagectl = triagectl
        self.socket = os.path.join(work, "c.sock")
        base = {"PATH": "/usr/bin:/bin", "TRIAGE_STATS_TIMEZONE": "UTC", "TRIAGE_STATS_CATCH_UP_DAYS": "0",
                "TRIAGE_AUTH_BCRYPT_COST": "4", "TRIAGE_STATS_LIVE_TTL": "0"}
        self.process = subprocess.Popen([triaged, "--port", "0", "--control-socket", self.socket], cwd=work,
                                        env={**base, **env}, stderr=subprocess.DEVNULL)
        self.port = None
        for _ in range(600):
            if os.path.exists(self.socket):
                status = json.loads(self.ctl("status", "--json", check=False) or "{}")
                match = re.search(r":(\d+)$", str(status.get("http") or status.get("httpAddress") or ""))
                if match:
                    self.port = int(match.group(1))
                    break
            time.sleep(0.1)
        if self.port is None:
            raise SystemExit("triaged did not start")

    def ctl(self, *arguments, check=True, input=None):
        return subprocess.run([self.triagectl, *arguments, "--socket", self.socket], input=input, text=True,
                              capture_output=True, check=check).stdout

    def token(self):
        self.ctl("user", "create", "bench-reader", "--role", "viewer", "--password-stdin", input="bench-password\n")
        login = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/auth/login", method="POST",
                                       data=b'{"username":"bench-reader","password":"bench-password"}')
        return json.load(urllib.request.urlopen(login))["accessToken"]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def latencies(port, token, path, count):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})
    for _ in range(50):
        urllib.request.urlopen(request).read()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        body = urllib.request.urlopen(request).read()
        times.append((time.perf_counter() - began) * 1000)
    return times, body


def load_ms(port):
    """Mean time triaged spent counting today, from the stats-today cache's metrics."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    def value(name):
        return float(re.search(rf'^{name}{{cache="stats-today"}} ([0-9.e+-]+)$', text, re.M).group(1))
    return value("triage_cache_load_seconds_total") / value("triage_cache_loads_total") * 1000, int(value("triage_cache_loads_total"))


def measure(daemon, today):
    token = daemon.token()
    past = (today - timedelta(days=1)).isoformat()
    live, body = latencies(daemon.port, token, f"/api/stats/daily?from={today}&to={today}", REQUESTS)
    row = json.loads(body)[-1]
    floor, _ = latencies(daemon.port, token, f"/api/stats/daily?from={past}&to={past}", REQUESTS)
    counted, loads = load_ms(daemon.port)
    return {"live": live, "floor": floor, "counted": counted, "loads": loads, "row": row}


def report(store, result, anchor_name, anchor_ms):
    def pct(values, q):
        return statistics.quantiles(values, n=100)[q - 1]
    row = result["row"]
    print(f"{store}: today's row created {row['createdCount']}, resolved {row['resolvedCount']}, comments {row['commentCount']}, "
          f"partial {row['partial']}")
    print(f"  count inside triaged (stats-today load, {result['loads']} loads): mean {result['counted']:.3f} ms")
    print(f"  {anchor_name}, the same statement: median {anchor_ms:.3f} ms")
    print(f"  GET today (counted each time): p50 {pct(result['live'], 50):.3f} ms, p99 {pct(result['live'], 99):.3f} ms")
    print(f"  GET a past day (no count):     p50 {pct(result['floor'], 50):.3f} ms, p99 {pct(result['floor'], 99):.3f} ms")


def sqlite_run(triaged, triagectl):
    with tempfile.TemporaryDirectory(prefix="triage-bench-today-") as work:
        Daemon(triaged, triagectl, work, {}).stop()  # migrates
        database = os.path.join(work, "triage-data", "triage.sqlite")
        dataset.generate_sqlite(database)
        today, start, now = day_bounds()
        series = f"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ISSUES_TODAY}) SELECT i FROM n)"
        subprocess.run(["sqlite3", database], input="BEGIN;" + today_rows(start, now, series) + "COMMIT; ANALYZE;", text=True, check=True)
        connection = sqlite3.connect(database)
        statement = WINDOW_COUNTS.format(start=start, end=int(time.time() * 1000) + 1)
        anchor = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            connection.execute(statement).fetchall()
            anchor.append((time.perf_counter() - began) * 1000)
        connection.close()
        daemon = Daemon(triaged, triagectl, work, {})
        try:
            result = measure(daemon, today)
        finally:
            daemon.stop()
        report("SQLite", result, "Python sqlite3", statistics.median(anchor))


def postgres_run(triaged, triagectl):
    server = tempfile.mkdtemp(prefix="triage-pg-today-", dir="/tmp")
    os.rmdir(server)
    url = subprocess.run([os.path.join(SCRIPTS, "test-postgres"), "start", server], check=True, capture_output=True, text=True).stdout.strip()
    try:
        with tempfile.TemporaryDirectory(prefix="triage-bench-today-pg-") as work:
            env = {"TRIAGE_DATABASE_URL": url, "TRIAGE_AUTH_JWT_SECRET": SECRET}
            Daemon(triaged, triagectl, work, env).stop()  # migrates
            dataset.generate_postgres(["psql"], url)
            today, start, now = day_bounds()
            # VACUUM as autovacuum would after the bulk load: it sets the visibility map, without
            # which no COUNT can be answered from an index alone.
            subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", url], input=today_rows(start, now, f"generate_series(1, {ISSUES_TODAY}) AS i"),
                           text=True, check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["psql", "-q", url, "-c", "VACUUM ANALYZE"], check=True, capture_output=True)
            statement = WINDOW_COUNTS.format(start=start, end=int(time.time() * 1000) + 1)
            plan = subprocess.run(["psql", "-qAt", url, "-c", "EXPLAIN (ANALYZE, BUFFERS) " + statement], check=True, capture_output=True, text=True)
            print("PostgreSQL plan of today's count:\n  " + "\n  ".join(plan.stdout.splitlines()))
            anchor = psql_ms(url, statement, runs=REQUESTS)
            daemon = Daemon(triaged, triagectl, work, env)
            try:
                result = measure(daemon, today)
            finally:
                daemon.stop()
            report("PostgreSQL", result, "psql (server-side \\timing)", anchor)
    finally:
        subprocess.run([os.path.join(SCRIPTS, "test-postgres"), "stop", server], capture_output=True)
        subprocess.run(["rm", "-rf", server])


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    stores = os.environ.get("TODAY_STORES", "sqlite,postgres").split(",")
    if "sqlite" in stores:
        sqlite_run(triaged, triagectl)
    if "postgres" in stores:
        postgres_run(triaged, triagectl)


if __name__ == "__main__":
    main()
