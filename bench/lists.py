#!/usr/bin/env python3
"""The issue list, single issues and writes at size (bench/generate.sql), on SQLite.

For each size in LIST_SIZES (default 1000000; the README also has 10000000):
(a) every list request (page 0, a deep cursor, each filter and combination):
    latency through the release triaged, one connection (wrk -t1 -c1
    --latency, so the latency is the server's time plus loopback), p50/p99,
    beside the same SQL run directly in Python's sqlite3 (the anchor);
(b) throughput of GET /api/issues?size=20 (wrk -t2 -c32);
(c) GET /api/issues/{random id} against GET /healthz in the same run;
(d) POST /api/issues against the raw insert plus its status event in one
    transaction each, from Python's sqlite3, in the same synchronous mode;
(e) idle RSS of triaged on the file.
"""
import base64
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

import dataset

DURATION = os.environ.get("WRK_DURATION", "5s")
SIZES = [int(size) for size in os.environ.get("LIST_SIZES", "1000000").split(",")]
HEAVY_REPORTER, RARE_ASSIGNEE, COMMON_ASSIGNEE, NO_ISSUES_REPORTER = 1000000, 1000999, 1000002, 999

# The list's SQL as ListSQL builds it for SQLite: (query text, parameters) per request.
PAGE = "SELECT * FROM issues{where} ORDER BY created_at DESC, id DESC LIMIT 21"


def sql_for(filters, after=None):
    conditions, values = [], []
    for column, value in filters:
        conditions.append(f"{column} = ?")
        values.append(value)
    if after:
        conditions.append("(created_at, id) < (?, ?)")
        values += list(after)
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return PAGE.format(where=where), values


def cursor_token(after, page):
    text = f"1|issues|{page}|{after[0]},{after[1]}|,,"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def wrk(url, token, connections, threads, script=None, latency=False):
    command = ["wrk", f"-t{threads}", f"-c{connections}", "-d", DURATION, "-H", f"Authorization: Bearer {token}"]
    if latency:
        command.append("--latency")
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{output}")
    result = {"rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))}
    if latency:
        for label, key in (("50%", "p50"), ("99%", "p99")):
            match = re.search(rf"{label}\s+([0-9.]+)(us|ms|s)", output)
            value, unit = float(match.group(1)), match.group(2)
            result[key] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return result


def direct(database, sql, values, runs=400):
    connection = sqlite3.connect(database)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        connection.execute(sql, values).fetchall()
        samples.append((time.perf_counter() - began) * 1000)
    connection.close()
    samples.sort()
    return samples[len(samples) // 2], samples[int(len(samples) * 0.99)]


def raw_inserts(database, seconds=5):
    """One transaction per issue and its status event, as triaged writes them."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    mode = connection.execute("PRAGMA synchronous").fetchone()[0]
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        now = int(time.time() * 1000)
        connection.execute("BEGIN IMMEDIATE")
        issue = connection.execute(
            "INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, created_at, updated_at) "
            "VALUES (?, '', 'OPEN', 'MEDIUM', ?, NULL, ?, ?) RETURNING id", ("raw", HEAVY_REPORTER, now, now)).fetchone()[0]
        connection.execute("INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id) VALUES (?, NULL, 'OPEN', ?, ?)",
                           (issue, now, HEAVY_REPORTER))
        connection.execute("INSERT INTO issue_counts (status, shard, n) VALUES ('OPEN', ? % 16, 1) "
                           "ON CONFLICT (status, shard) DO UPDATE SET n = issue_counts.n + 1", (issue,))
        connection.execute("COMMIT")
        count += 1
    rate = count / (time.perf_counter() - began)
    connection.close()
    return rate, {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(mode, str(mode))


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1)) / 1024


def start(triaged, directory, port, socket_path):
    env = {"PATH": "/usr/bin:/bin", "TRIAGE_STATS_CATCH_UP_DAYS": "0", "TRIAGE_AUTH_BCRYPT_COST": "4",
           "TRIAGE_AUTH_ATTEMPTS_PER_MINUTE": "100000", "TRIAGE_LOG_LEVEL": "warning"}
    process = subprocess.Popen([triaged, "--port", str(port), "--control-socket", socket_path], cwd=directory, env=env,
                               stderr=subprocess.DEVNULL)
    while not os.path.exists(socket_path):
        if process.poll() is not None:
            raise SystemExit("triaged did not start")
        time.sleep(0.05)
    return process


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench(triaged, triagectl, size):
    with tempfile.TemporaryDirectory(prefix="triage-bench-lists-") as directory:
        socket_path, port = os.path.join(directory, "c.sock"), free_port()
        process = start(triaged, directory, port, socket_path)
        process.send_signal(signal.SIGTERM)
        process.wait()
        database = os.path.join(directory, "triage-data", "triage.sqlite")
        began = time.monotonic()
        dataset.generate_sqlite(database, issues=size, comments=1)
        print(f"\n== {size:,} issues: generated in {time.monotonic() - began:.0f} s ({os.path.getsize(database) / 2**30:.2f} GiB)")

        connection = sqlite3.connect(database)
        deep = connection.execute("SELECT created_at, id FROM issues ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
                                  (size // 2,)).fetchone()
        connection.close()
        requests = [
            ("page 0", "", [], None),
            (f"cursor at item {size // 2:,}", f"&cursor={cursor_token(deep, 25_000)}", [], deep),
            ("status=OPEN", "&status=OPEN", [("status", "OPEN")], None),
            ("status=CLOSED, deep cursor", f"&cursor=" + base64.urlsafe_b64encode(
                f"1|issues|9|{deep[0]},{deep[1]}|CLOSED,,".encode()).decode().rstrip("="), [("status", "CLOSED")], deep),
            ("assigneeId=rare (1 in 100,000)", f"&assigneeId={RARE_ASSIGNEE}", [("assignee_id", RARE_ASSIGNEE)], None),
            ("assigneeId=common", f"&assigneeId={COMMON_ASSIGNEE}", [("assignee_id", COMMON_ASSIGNEE)], None),
            ("reporterId=heavy (half the issues)", f"&reporterId={HEAVY_REPORTER}", [("reporter_id", HEAVY_REPORTER)], None),
            ("reporterId=none", f"&reporterId={NO_ISSUES_REPORTER}", [("reporter_id", NO_ISSUES_REPORTER)], None),
            ("status=OPEN&reporterId=heavy", f"&status=OPEN&reporterId={HEAVY_REPORTER}",
             [("status", "OPEN"), ("reporter_id", HEAVY_REPORTER)], None),
            ("status=CLOSED&assigneeId=rare", f"&status=CLOSED&assigneeId={RARE_ASSIGNEE}",
             [("status", "CLOSED"), ("assignee_id", RARE_ASSIGNEE)], None),
            ("assigneeId=common&reporterId=heavy", f"&assigneeId={COMMON_ASSIGNEE}&reporterId={HEAVY_REPORTER}",
             [("assignee_id", COMMON_ASSIGNEE), ("reporter_id", HEAVY_REPORTER)], None),
            ("all three", f"&status=IN_PROGRESS&assigneeId={COMMON_ASSIGNEE}&reporterId={HEAVY_REPORTER}",
             [("status", "IN_PROGRESS"), ("assignee_id", COMMON_ASSIGNEE), ("reporter_id", HEAVY_REPORTER)], None),
        ]
        anchors = {name: direct(database, *sql_for(filters, after)) for name, _, filters, after in requests}

        process = start(triaged, directory, port, socket_path)
        try:
            time.sleep(1)
            idle = rss_mib(process.pid)
            subprocess.run([triagectl, "user", "create", "wrk-member", "--role", "member", "--password-stdin", "--socket", socket_path],
                           input="bench-password\n", text=True, check=True, capture_output=True)
            login = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", method="POST",
                                           data=b'{"username":"wrk-member","password":"bench-password"}')
            token = json.load(urllib.request.urlopen(login))["accessToken"]
            base = f"http://127.0.0.1:{port}"
            print(f"{'request':<40} {'triaged p50':>11} {'p99':>8} {'sqlite3 p50':>12} {'p99':>8}  (ms)")
            for name, query, _, _ in requests:
                measured = wrk(f"{base}/api/issues?size=20{query}", token, connections=1, threads=1, latency=True)
                anchor = anchors[name]
                print(f"{name:<40} {measured['p50']:>11.2f} {measured['p99']:>8.2f} {anchor[0]:>12.3f} {anchor[1]:>8.3f}")

            page = wrk(f"{base}/api/issues?size=20", token, connections=32, threads=2)["rps"]
            print(f"GET /api/issues?size=20, wrk -t2 -c32:      {page:,.0f} req/s")

            script = os.path.join(directory, "random-issue.lua")
            with open(script, "w") as file:
                file.write(f'request = function() return wrk.format("GET", "/api/issues/" .. math.random(1, {size})) end\n')
            single = wrk(f"{base}/api/issues/1", token, connections=32, threads=2, script=script)["rps"]
            health = wrk(f"{base}/healthz", token, connections=32, threads=2)["rps"]
            print(f"GET /api/issues/{{random id}}:               {single:,.0f} req/s; GET /healthz {health:,.0f} req/s; "
                  f"ratio {single / health:.2f}")

            script = os.path.join(directory, "create.lua")
            with open(script, "w") as file:
                file.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                           'wrk.body = \'{"title":"bench","description":""}\'\n')
            created = wrk(f"{base}/api/issues", token, connections=32, threads=2, script=script)["rps"]
            busy = rss_mib(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()
        raw, mode = raw_inserts(database)
        print(f"POST /api/issues, wrk -t2 -c32:             {created:,.0f} req/s; raw insert + event "
              f"(one transaction each, synchronous {mode}) {raw:,.0f}/s; ratio {created / raw:.2f}")
        print(f"RSS of triaged: idle {idle:.1f} MiB, after the runs {busy:.1f} MiB")


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    for size in SIZES:
        bench(triaged, triagectl, size)


if __name__ == "__main__":
    main()
