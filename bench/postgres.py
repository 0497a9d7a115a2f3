#!/usr/bin/env python3
"""The PostgreSQL store on the generated data set (bench/generate-postgres.sql).

Starts a throwaway server (scripts/test-postgres), lets the release triaged
migrate it, loads 1 M issues and 3 M comments, then times:
  * the popular query cold: a cache miss through triaged (flush, then GET),
    beside the same SQL in psql;
  * the daily statistics for one day and a backfill of 365 days through
    triaged (durations as the run history records them), beside the same
    COUNT queries in psql.
"""
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import dataset

BENCH = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(BENCH, "..", "scripts")
LAST_DAY = datetime.now(timezone.utc).date() - timedelta(days=1)
SECRET = "s" * 32

# As PostgresIssueRepository.popular: rank ids from the covering index, then read ten rows.
POPULAR = """SELECT * FROM issues WHERE id IN (
    SELECT id FROM issues WHERE created_at >= {since} ORDER BY view_count + comment_count DESC, created_at DESC, id DESC LIMIT 10)
ORDER BY view_count + comment_count DESC, created_at DESC, id DESC"""
COUNTS = """SELECT COUNT(*) FROM issues WHERE created_at >= {start} AND created_at < {end};
SELECT COUNT(*) FROM comments WHERE created_at >= {start} AND created_at < {end};
SELECT COUNT(DISTINCT issue_id) FROM issue_status_events WHERE to_status IN ('RESOLVED', 'CLOSED') AND at >= {start} AND at < {end};"""


def psql_ms(url, sql, runs):
    """Median of the server-side times psql's \\timing reports for `sql`, run `runs` times in one session."""
    script = "\\timing on\n" + (sql.rstrip().rstrip(";") + ";\n") * runs
    output = subprocess.run(["psql", url, "-qAt", "-o", "/dev/null"], input=script, text=True, capture_output=True, check=True)
    times = [float(t) for t in re.findall(r"Time: ([0-9.]+) ms", output.stdout + output.stderr)]
    statements = max(1, sql.count(";") or 1)
    per_run = [sum(times[i:i + statements]) for i in range(0, len(times), statements)]
    return statistics.median(per_run)


def window(day):
    start = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)
    return start, start + 86_400_000


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    server_dir = tempfile.mkdtemp(prefix="triage-pg-bench-", dir="/tmp")
    os.rmdir(server_dir)  # scripts/test-postgres creates it with the right owner
    url = subprocess.run([os.path.join(SCRIPTS, "test-postgres"), "start", server_dir], check=True, capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="triage-bench-pg-")
    process = None
    try:
        socket_path = os.path.join(work, "c.sock")
        env = {"PATH": "/usr/bin:/bin", "TRIAGE_DATABASE_URL": url, "TRIAGE_AUTH_JWT_SECRET": SECRET, "TRIAGE_STATS_TIMEZONE": "UTC",
               "TRIAGE_STATS_CATCH_UP_DAYS": "0", "TRIAGE_CACHE_POPULAR_TTL": "3600", "TRIAGE_AUTH_BCRYPT_COST": "4"}

        def start():
            child = subprocess.Popen([triaged, "--port", "0", "--control-socket", socket_path], cwd=work, env=env,
                                     stderr=subprocess.PIPE, text=True)
            for _ in range(600):
                if os.path.exists(socket_path):
                    return child
                time.sleep(0.05)
            raise SystemExit("triaged did not start")

        process = start()  # migrates
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        began = time.perf_counter()
        dataset.generate_postgres(["psql"], url)
        generated = time.perf_counter() - began

        process = start()
        port = None
        for _ in range(100):
            status = json.loads(subprocess.run([triagectl, "status", "--json", "--socket", socket_path], capture_output=True, text=True).stdout or "{}")
            address = status.get("http") or status.get("httpAddress") or ""
            match = re.search(r":(\d+)$", str(address))
            if match:
                port = int(match.group(1))
                break
            time.sleep(0.1)
        if port is None:
            raise SystemExit(f"cannot find triaged's port in `triagectl status --json`: {status}")
        subprocess.run([triagectl, "user", "create", "bench-reader", "--role", "viewer", "--password-stdin", "--socket", socket_path],
                       input="bench-password\n", text=True, check=True, capture_output=True)
        login = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", method="POST",
                                       data=b'{"username":"bench-reader","password":"bench-password"}')
        token = json.load(urllib.request.urlopen(login))["accessToken"]
        popular = urllib.request.Request(f"http://127.0.0.1:{port}/api/issues/popular", headers={"Authorization": f"Bearer {token}"})
        misses = []
        for _ in range(20):
            subprocess.run([triagectl, "cache", "flush", "popular", "--socket", socket_path], check=True, capture_output=True)
            began = time.perf_counter()
            urllib.request.urlopen(popular).read()
            misses.append((time.perf_counter() - began) * 1000)
        since = int((time.time() - 7 * 86400) * 1000)
        popular_psql = psql_ms(url, POPULAR.format(since=since), 20)

        def batch(*arguments):
            output = subprocess.run([triagectl, "batch", "run", *arguments, "--json", "--socket", socket_path],
                                    check=True, capture_output=True, text=True).stdout
            run_id = json.loads(output)["runId"]
            history = json.loads(subprocess.run([triagectl, "batch", "history", "--limit", "1", "--json", "--socket", socket_path],
                                                check=True, capture_output=True, text=True).stdout)
            assert history[0]["id"] == run_id
            return history[0]["durationSeconds"]

        one_day = statistics.median(batch("--date", LAST_DAY.isoformat()) for _ in range(10)) * 1000
        first = LAST_DAY - timedelta(days=364)
        year = statistics.median(batch("--from", first.isoformat(), "--to", LAST_DAY.isoformat()) for _ in range(3))
        start_ms, end_ms = window(LAST_DAY)
        one_day_psql = psql_ms(url, COUNTS.format(start=start_ms, end=end_ms), 10)
        year_psql = 0.0
        for offset in range(365):
            start_ms, end_ms = window(first + timedelta(days=offset))
            year_psql += psql_ms(url, COUNTS.format(start=start_ms, end=end_ms), 1)
    finally:
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        subprocess.run([os.path.join(SCRIPTS, "test-postgres"), "stop", server_dir], capture_output=True)
        shutil.rmtree(server_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

    print(f"data set generated in psql:                     {generated:.1f} s")
    print(f"popular cache miss through triaged:             median {statistics.median(misses):.2f} ms")
    print(f"popular query in psql (server time):            median {popular_psql:.2f} ms")
    print(f"daily stats, one day through triaged:           median {one_day:.2f} ms")
    print(f"the same three COUNTs in psql (server time):    median {one_day_psql:.2f} ms")
    print(f"daily stats, 365 days through triaged:          median {year:.3f} s")
    print(f"the same COUNTs in psql, 365 days:              {year_psql / 1000:.3f} s")


if __name__ == "__main__":
    main()
