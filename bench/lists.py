#!/usr/bin/env python3
"""The issue list, single issues and writes at size (bench/generate.sql), on
each store (LIST_STORES, default sqlite,postgres) and size (LIST_SIZES,
default 1000000; the README also has 10000000):

(a) every list request (page 0, a deep cursor, each filter and combination):
    latency through the release triaged with one connection (wrk -t1 -c1
    --latency: the server's time plus loopback), p50/p99, beside the same
    SQL run directly: Python's sqlite3 in process, or pgbench with one
    client and prepared statements (its time includes the round trip);
(b) throughput of GET /api/issues?size=20 (wrk -t2 -c32);
(c) GET /api/issues/{random id} against GET /healthz in the same run;
(d) POST /api/issues against the raw insert plus its status event and
    counter in one transaction each: from Python's sqlite3 in triaged's
    synchronous mode (NORMAL), or pgbench with 32 clients;
(e) RSS of triaged, idle and after the runs.

LIST_SQLITE_DATA=/path/with/{size} reuses a data directory generated
earlier (by this script's dataset.generate_sqlite) instead of generating.
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import dataset

DURATION = os.environ.get("WRK_DURATION", "5s")
SIZES = [int(size) for size in os.environ.get("LIST_SIZES", "1000000").split(",")]
STORES = os.environ.get("LIST_STORES", "sqlite,postgres").split(",")
SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts")
HEAVY_REPORTER, RARE_ASSIGNEE, COMMON_ASSIGNEE, NO_ISSUES_REPORTER = 1000000, 1000999, 1000002, 999
SECRET = "s" * 32
STATUS_COUNTS = "SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM issue_counts GROUP BY status"  # ListSQL.statusCounts


def list_sql(dialect, filters, after):
    """The list's SQL as ListSQL builds it: (text, values). PostgreSQL writes each filter
    as a closed range and leads the order with it (QueryBuilder.equal explains why)."""
    conditions, values, leading = [], [], []
    for column, value in filters:
        values.append(value)
        n = len(values)
        if dialect == "sqlite":
            conditions.append(f"{column} = ?")
        else:
            conditions.append(f"{column} >= :v{n} AND {column} <= :v{n}")
            leading.append(f"{column} DESC")
    if after:
        values += list(after)
        n = len(values)
        conditions.append("(created_at, id) < (?, ?)" if dialect == "sqlite" else f"(created_at, id) < (:v{n - 1}, :v{n})")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    order = ", ".join(leading + ["created_at DESC", "id DESC"])
    return f"SELECT * FROM issues{where} ORDER BY {order} LIMIT 21", values


def cursor(after, page, status=""):
    text = f"1|issues|{page}|{after[0]},{after[1]}|{status},,"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def list_requests(size, deep):
    """(name, query string, filters as (column, value), keyset start)."""
    return [
        ("page 0", "", [], None),
        (f"cursor at item {size // 2:,}", f"&cursor={cursor(deep, 25_000)}", [], deep),
        ("status=OPEN", "&status=OPEN", [("status", "OPEN")], None),
        ("status=CLOSED, deep cursor", f"&cursor={cursor(deep, 9, 'CLOSED')}", [("status", "CLOSED")], deep),
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


def percentiles(samples):
    samples = sorted(samples)
    return samples[len(samples) // 2], samples[int(len(samples) * 0.99)]


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1)) / 1024


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(triaged, directory, port, socket_path, extra_env=None):
    env = {"PATH": "/usr/bin:/bin", "TRIAGE_STATS_CATCH_UP_DAYS": "0", "TRIAGE_AUTH_BCRYPT_COST": "4",
           "TRIAGE_AUTH_ATTEMPTS_PER_MINUTE": "100000", "TRIAGE_LOG_LEVEL": "warning", **(extra_env or {})}
    process = subprocess.Popen([triaged, "--port", str(port), "--control-socket", socket_path], cwd=directory, env=env,
                               stderr=subprocess.DEVNULL)
    while not os.path.exists(socket_path):
        if process.poll() is not None:
            raise SystemExit("triaged did not start")
        time.sleep(0.05)
    return process


class SQLiteStore:
    name, anchor = "SQLite", "sqlite3"

    def __init__(self, directory):
        self.directory = directory
        self.database = os.path.join(directory, "triage-data", "triage.sqlite")
        self.env = {}

    def generate(self, triaged, size):
        reuse = os.environ.get("LIST_SQLITE_DATA")
        if reuse:
            shutil.copytree(reuse.format(size=size), self.directory, dirs_exist_ok=True)
            return
        socket_path = os.path.join(self.directory, "c.sock")
        process = start(triaged, self.directory, free_port(), socket_path)  # migrates
        process.send_signal(signal.SIGTERM)
        process.wait()
        dataset.generate_sqlite(self.database, issues=size, comments=1)

    def size(self):
        return f"{os.path.getsize(self.database) / 2**30:.2f} GiB"

    def keyset_at(self, offset):
        with sqlite3.connect(self.database) as connection:
            return connection.execute("SELECT created_at, id FROM issues ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
                                      (offset,)).fetchone()

    def direct(self, filters, after, runs=400):
        sql, values = list_sql("sqlite", filters, after)
        connection = sqlite3.connect(self.database)
        samples = []
        for _ in range(runs):
            began = time.perf_counter()
            connection.execute(sql, values).fetchall()
            samples.append((time.perf_counter() - began) * 1000)
        connection.close()
        return percentiles(samples)

    def raw_inserts(self, seconds=5):
        """One transaction per issue, its status event and counter, as triaged writes them."""
        connection = sqlite3.connect(self.database, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        # triaged's mode: GRDB opens WAL databases with synchronous NORMAL (Python's default is FULL).
        connection.execute("PRAGMA synchronous = NORMAL")
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
        return rate, "Python's sqlite3, one connection, synchronous NORMAL"

    def ceilings(self, triaged, size):
        return []

    def close(self):
        pass


class PostgresStore:
    name, anchor = "PostgreSQL", "pgbench"

    def __init__(self, directory):
        self.directory = directory
        os.chmod(directory, 0o755)  # the server runs as the postgres user, below this directory
        self.server = os.path.join(directory, "postgres")
        self.url = subprocess.run([os.path.join(SCRIPTS, "test-postgres"), "start", self.server], check=True,
                                  capture_output=True, text=True).stdout.strip()
        self.env = {"TRIAGE_DATABASE_URL": self.url, "TRIAGE_AUTH_JWT_SECRET": SECRET}
        self.local = f"postgresql:///postgres?host={self.server}&port={open(os.path.join(self.server, 'port')).read().strip()}&user=triage"

    def generate(self, triaged, size):
        socket_path = os.path.join(self.directory, "c.sock")
        process = start(triaged, self.directory, free_port(), socket_path, self.env)  # migrates
        process.send_signal(signal.SIGTERM)
        process.wait()
        dataset.generate_postgres(["psql"], self.url, issues=size, comments=1)

    def size(self):
        return subprocess.run(["psql", self.url, "-qAt", "-c", "SELECT pg_size_pretty(pg_database_size('postgres'))"],
                              check=True, capture_output=True, text=True).stdout.strip()

    def keyset_at(self, offset):
        row = subprocess.run(["psql", self.url, "-qAt", "-F", ",", "-c",
                              f"SELECT created_at, id FROM issues ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET {int(offset)}"],
                             check=True, capture_output=True, text=True).stdout.strip()
        return tuple(int(part) for part in row.split(","))

    def pgbench(self, script, clients, seconds, log=None):
        with tempfile.NamedTemporaryFile("w", suffix=".sql", dir=self.directory, delete=False) as file:
            file.write(script)
        command = ["pgbench", "-n", "-M", "prepared", f"-c{clients}", f"-j{min(clients, 2)}", f"-T{seconds}", "-f", file.name]
        if log:
            command += ["-l", "--log-prefix", log]
        output = subprocess.run(command + [self.local], check=True, capture_output=True, text=True, cwd=self.directory).stdout
        return float(re.search(r"tps = ([0-9.]+)", output).group(1))

    def direct(self, filters, after, seconds=3):
        sql, values = list_sql("postgres", filters, after)
        sets = "".join(f"\\set v{n} {value}\n" for n, value in enumerate(values, 1) if isinstance(value, int))
        for n, value in enumerate(values, 1):
            if not isinstance(value, int):
                sql = sql.replace(f":v{n}", f"'{value}'")  # pgbench's \set takes numbers only; a literal is planned alike here
        log = os.path.join(self.directory, "latency")
        for old in [name for name in os.listdir(self.directory) if name.startswith("latency")]:
            os.remove(os.path.join(self.directory, old))
        self.pgbench(sets + sql + ";\n", clients=1, seconds=seconds, log=log)
        samples = []
        for name in os.listdir(self.directory):
            if name.startswith("latency"):
                with open(os.path.join(self.directory, name)) as lines:
                    samples += [int(line.split()[2]) / 1000 for line in lines]
        return percentiles(samples)

    def raw_inserts(self, seconds=5):
        now = int(time.time() * 1000)
        script = (
            "BEGIN;\n"
            "INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, created_at, updated_at) "
            f"VALUES ('raw', '', 'OPEN', 'MEDIUM', {HEAVY_REPORTER}, NULL, {now}, {now}) RETURNING id AS issue \\gset\n"
            f"INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id) VALUES (:issue, NULL, 'OPEN', {now}, {HEAVY_REPORTER});\n"
            "INSERT INTO issue_counts (status, shard, n) VALUES ('OPEN', :issue % 16, 1) "
            "ON CONFLICT (status, shard) DO UPDATE SET n = issue_counts.n + 1;\n"
            "END;\n")
        return self.pgbench(script, clients=32, seconds=seconds), "pgbench, 32 clients, prepared"

    def ceilings(self, triaged, size, seconds=5):
        """What the server and PostgresNIO reach without triaged around them, 32 at a time: the
        page-0 list (the page and its status totals) and a random single issue through pgbench,
        and through postgres-floor (PostgresNIO alone, built beside triaged with TRIAGE_BENCH=1)."""
        page_sql, _ = list_sql("postgres", [], None)
        single_sql = "SELECT * FROM issues WHERE id = $1"
        page = self.pgbench(page_sql + ";\n" + STATUS_COUNTS + ";\n", 32, seconds)
        single = self.pgbench(f"\\set id random(1, {size})\n" + single_sql.replace("$1", ":id") + ";\n", 32, seconds)
        lines = [f"pgbench -c32 -M prepared: page 0 with its totals {page:,.0f}/s; a random issue {single:,.0f}/s"]
        floor = os.path.join(os.path.dirname(triaged), "postgres-floor")
        if not os.path.exists(floor):
            return lines + ["postgres-floor: not built (TRIAGE_BENCH=1 swift build -c release --product postgres-floor)"]
        url = urllib.parse.urlsplit(self.url)
        for label, sql, unnamed in (("a random issue, prepared", single_sql, "0"), ("page 0, unnamed", page_sql, "1")):
            output = subprocess.run([floor, url.hostname, str(url.port), url.username, url.path.lstrip("/"), str(size), str(seconds), "32", sql],
                                    env={**os.environ, "PGPASSWORD": url.password, "FLOOR_UNNAMED": unnamed},
                                    check=True, capture_output=True, text=True).stdout
            result = json.loads(output)
            lines.append(f"PostgresNIO alone, 32 tasks, {label}: {result['rate']:,.0f}/s, {result['cpu_us']:.0f} µs of its CPU each")
        return lines

    def close(self):
        subprocess.run([os.path.join(SCRIPTS, "test-postgres"), "stop", self.server], capture_output=True)


def bench(triaged, triagectl, store_kind, size):
    with tempfile.TemporaryDirectory(prefix="triage-bench-lists-") as directory:
        store = {"sqlite": SQLiteStore, "postgres": PostgresStore}[store_kind](directory)
        try:
            measure(triaged, triagectl, store, size, directory)
        finally:
            store.close()


def measure(triaged, triagectl, store, size, directory):
    began = time.monotonic()
    store.generate(triaged, size)
    print(f"\n== {store.name}, {size:,} issues: data set ready in {time.monotonic() - began:.0f} s ({store.size()})", flush=True)
    requests = list_requests(size, store.keyset_at(size // 2))
    anchors = {name: store.direct(filters, after) for name, _, filters, after in requests}

    socket_path, port = os.path.join(directory, "c.sock"), free_port()
    process = start(triaged, directory, port, socket_path, store.env)
    try:
        time.sleep(1)
        idle = rss_mib(process.pid)
        subprocess.run([triagectl, "user", "create", "wrk-member", "--role", "member", "--password-stdin", "--socket", socket_path],
                       input="bench-password\n", text=True, check=True, capture_output=True)
        login = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", method="POST",
                                       data=b'{"username":"wrk-member","password":"bench-password"}')
        token = json.load(urllib.request.urlopen(login))["accessToken"]
        base = f"http://127.0.0.1:{port}"
        print(f"{'request':<40} {'triaged p50':>11} {'p99':>8} {store.anchor + ' p50':>12} {'p99':>8}  (ms)")
        for name, query, _, _ in requests:
            measured = wrk(f"{base}/api/issues?size=20{query}", token, connections=1, threads=1, latency=True)
            anchor = anchors[name]
            print(f"{name:<40} {measured['p50']:>11.2f} {measured['p99']:>8.2f} {anchor[0]:>12.3f} {anchor[1]:>8.3f}", flush=True)

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
    raw, how = store.raw_inserts()
    print(f"POST /api/issues, wrk -t2 -c32:             {created:,.0f} req/s; raw insert + event + counter "
          f"(one transaction each; {how}) {raw:,.0f}/s; ratio {created / raw:.2f}")
    print(f"RSS of triaged: idle {idle:.1f} MiB, after the runs {busy:.1f} MiB", flush=True)
    for line in store.ceilings(triaged, size):
        print(line, flush=True)


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    for store in STORES:
        for size in SIZES:
            bench(triaged, triagectl, store, size)


if __name__ == "__main__":
    main()
