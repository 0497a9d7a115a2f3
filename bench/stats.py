#!/usr/bin/env python3
"""Daily statistics batch on the generated data set (bench/generate.sql).

Times, on one file: aggregating one day and backfilling 365 days through the
release triaged (durations as the daemon records them), beside the same COUNT
queries run directly with Python's sqlite3, with and without an upsert
transaction per day (synchronous NORMAL, as triaged writes). The backfills
alternate, five of each, and each is measured twice: wall time, and the CPU
time of the process doing it (triaged's from /proc, Python's own), which this
VM's neighbours disturb far less than wall time.
"""
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

import dataset

BENCH = os.path.dirname(os.path.abspath(__file__))
LAST_DAY = datetime.now(timezone.utc).date() - timedelta(days=1)  # generate.sql ends at today 00:00 UTC


def start(triaged, directory, extra_env=None):
    env = {"PATH": "/usr/bin:/bin", "TRIAGE_STATS_TIMEZONE": "UTC", "TRIAGE_STATS_CATCH_UP_DAYS": "0"}
    env.update(extra_env or {})
    socket_path = os.path.join(directory, "c.sock")
    process = subprocess.Popen([triaged, "--port", "0", "--control-socket", socket_path], cwd=directory, env=env,
                               stderr=subprocess.DEVNULL)
    for _ in range(600):
        if os.path.exists(socket_path):
            return process, socket_path
        time.sleep(0.05)
    raise SystemExit("triaged did not start")


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def run(triagectl, socket_path, *arguments, pid=None):
    """The run's recorded duration and, given triaged's pid, its CPU time during `batch run` alone."""
    cpu = cpu_seconds(pid) if pid else 0.0
    output = subprocess.run([triagectl, "batch", "run", *arguments, "--json", "--socket", socket_path],
                            check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(pid) - cpu if pid else None
    answer = json.loads(output)
    history = json.loads(subprocess.run([triagectl, "batch", "history", "--limit", "1", "--json", "--socket", socket_path],
                                        check=True, capture_output=True, text=True).stdout)
    assert history[0]["id"] == answer["runId"], "history out of step"
    return history[0]["durationSeconds"], cpu


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def window(day):
    start = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)
    return start, start + 86_400_000


def raw_counts(connection, day):
    start, end = window(day)
    created = connection.execute("SELECT COUNT(*) FROM issues WHERE created_at >= ? AND created_at < ?", (start, end)).fetchone()[0]
    comments = connection.execute("SELECT COUNT(*) FROM comments WHERE created_at >= ? AND created_at < ?", (start, end)).fetchone()[0]
    resolved = connection.execute(
        "SELECT COUNT(DISTINCT issue_id) FROM issue_status_events WHERE at >= ? AND at < ? AND to_status IN ('RESOLVED', 'CLOSED')",
        (start, end)).fetchone()[0]
    return created, resolved, comments


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="triage-bench-stats-") as directory:
        process, _ = start(triaged, directory)
        stop(process)
        database = os.path.join(directory, "triage-data", "triage.sqlite")
        began = time.monotonic()
        dataset.generate_sqlite(database)
        print(f"generated 1,000,000 issues, 3,000,000 comments in {time.monotonic() - began:.1f} s "
              f"({os.path.getsize(database) / 2**20:.0f} MiB)")

        days = [LAST_DAY - timedelta(days=offset) for offset in range(365)]
        connection = sqlite3.connect(database, timeout=30)
        connection.execute("PRAGMA synchronous = NORMAL")
        raw = []
        for _ in range(3):
            began = time.perf_counter()
            for day in days:
                raw_counts(connection, day)
            raw.append(time.perf_counter() - began)

        def python_year():
            began, cpu = time.perf_counter(), time.process_time()
            for day in days:
                with connection:
                    created, resolved, comments = raw_counts(connection, day)
                    connection.execute(
                        "INSERT INTO daily_stats (date, created_count, resolved_count, comment_count, aggregated_at) VALUES (?, ?, ?, ?, 0) "
                        "ON CONFLICT(date) DO UPDATE SET created_count = excluded.created_count, resolved_count = excluded.resolved_count, "
                        "comment_count = excluded.comment_count", (day.isoformat(), created, resolved, comments))
            return time.perf_counter() - began, time.process_time() - cpu

        process, socket_path = start(triaged, directory)
        year, upserted = [], []
        try:
            one_day = [run(triagectl, socket_path, "--date", LAST_DAY.isoformat())[0] for _ in range(7)]
            first = (LAST_DAY - timedelta(days=364)).isoformat()
            for _ in range(5):
                year.append(run(triagectl, socket_path, "--from", first, "--to", LAST_DAY.isoformat(), pid=process.pid))
                upserted.append(python_year())
        finally:
            stop(process)
            connection.close()

    def median(pairs, index):
        return statistics.median(pair[index] for pair in pairs)

    print(f"triaged, one day:        median {statistics.median(one_day) * 1000:.2f} ms (min {min(one_day) * 1000:.2f})")
    print(f"sqlite3, 365 days COUNT: median {statistics.median(raw):.3f} s")
    print(f"365 days, triaged:                                  median {median(year, 0):.3f} s wall, {median(year, 1):.3f} s CPU")
    print(f"365 days, sqlite3 COUNTs + upsert transaction per day: median {median(upserted, 0):.3f} s wall, {median(upserted, 1):.3f} s CPU")
    print(f"triaged / sqlite3: {median(year, 0) / median(upserted, 0):.2f}x wall, {median(year, 1) / median(upserted, 1):.2f}x CPU")

if __name__ == "__main__":
    main()
