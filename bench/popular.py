#!/usr/bin/env python3
"""Popular issues on the generated data set (bench/generate.sql).

(a) The cold query: Triage's form (maintained counters, created_at index)
    against the seed's form (a correlated COUNT subquery in the ORDER BY),
    both in Python's sqlite3 on the same file, and a cache miss through the
    release triaged.
(b) Throughput of the cached GET /api/issues/popular (with a valid token)
    against nginx serving the same bytes as a static file, both on loopback
    with wrk -t2 -c64, alternating, WRK_ROUNDS (3) runs of WRK_DURATION (10s)
    each; prints the medians and their ratio.
"""
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import dataset

BENCH = os.path.dirname(os.path.abspath(__file__))
DURATION = os.environ.get("WRK_DURATION", "10s")
ROUNDS = int(os.environ.get("WRK_ROUNDS", "3"))

# As in SQLiteIssueRepository.popular: rank ids from the covering index, then read ten rows.
TRIAGE_QUERY = """SELECT * FROM issues WHERE id IN (
    SELECT id FROM issues WHERE created_at >= ? ORDER BY view_count + comment_count DESC, created_at DESC, id DESC LIMIT 10)
ORDER BY view_count + comment_count DESC, created_at DESC, id DESC"""
SEED_QUERY = """SELECT i.*, (SELECT COUNT(*) FROM comments c WHERE c.issue_id = i.id) AS comments FROM issues i
WHERE i.created_at >= ?
ORDER BY i.view_count + (SELECT COUNT(*) FROM comments c WHERE c.issue_id = i.id) DESC, i.created_at DESC LIMIT 10"""


def timed(connection, query, since, runs=20):
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        connection.execute(query, (since,)).fetchall()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def wrk(url, token=None):
    command = ["wrk", "-t2", "-c64", "-d", DURATION, url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        probe = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
        try:
            status = urllib.request.urlopen(probe).status
        except urllib.error.HTTPError as error:
            status = f"{error.code} {error.read()[:200]!r}"
        raise SystemExit(f"{url}: {errors.group(1)} failed responses; a single request now answers {status}")
    return float(match.group(1))


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        raise SystemExit("nginx is missing: apt-get install nginx-light (make bench does)")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory(prefix="triage-bench-popular-") as directory:
        socket_path = os.path.join(directory, "c.sock")
        port = free_port()
        env = {"PATH": "/usr/bin:/bin", "TRIAGE_CACHE_POPULAR_TTL": "3600", "TRIAGE_STATS_CATCH_UP_DAYS": "0",
               "TRIAGE_AUTH_BCRYPT_COST": "4"}
        argv = [triaged, "--port", str(port), "--control-socket", socket_path]
        process = subprocess.Popen(argv, cwd=directory, env=env, stderr=subprocess.DEVNULL)
        while not os.path.exists(socket_path):
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        process.wait()
        database = os.path.join(directory, "triage-data", "triage.sqlite")
        dataset.generate_sqlite(database)

        since = int((time.time() - 7 * 86400) * 1000)
        connection = sqlite3.connect(database)
        triage_ms = timed(connection, TRIAGE_QUERY, since)
        seed_ms = timed(connection, SEED_QUERY, since, runs=5)
        connection.close()

        process = subprocess.Popen(argv, cwd=directory, env=env, stderr=subprocess.DEVNULL)
        try:
            while not os.path.exists(socket_path):
                time.sleep(0.05)
            subprocess.run([triagectl, "user", "create", "wrk-reader", "--role", "viewer", "--password-stdin", "--socket", socket_path],
                           input="bench-password\n", text=True, check=True)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", method="POST",
                                             data=b'{"username":"wrk-reader","password":"bench-password"}')
            token = json.load(urllib.request.urlopen(request))["accessToken"]
            popular = urllib.request.Request(f"http://127.0.0.1:{port}/api/issues/popular",
                                             headers={"Authorization": f"Bearer {token}"})
            misses = []
            for _ in range(10):
                subprocess.run([triagectl, "cache", "flush", "popular", "--socket", socket_path], check=True, capture_output=True)
                began = time.perf_counter()
                body = urllib.request.urlopen(popular).read()
                misses.append((time.perf_counter() - began) * 1000)
            # nginx's workers run as www-data when started by root: let them read the file.
            os.chmod(directory, 0o755)
            static = os.path.join(directory, "popular.json")
            with open(static, "wb") as file:
                file.write(body)

            nginx_port = free_port()
            config = os.path.join(directory, "nginx.conf")
            with open(config, "w") as file:
                file.write(f"""
worker_processes auto;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    server {{
        listen 127.0.0.1:{nginx_port};
        location = /api/issues/popular {{ default_type application/json; alias {static}; }}
    }}
}}
""")
            server = subprocess.Popen([nginx, "-c", config, "-p", directory, "-g", "daemon off;"], stderr=subprocess.DEVNULL)
            try:
                time.sleep(0.5)
                wrk(f"http://127.0.0.1:{port}/api/issues/popular", token)  # warm-up
                # This VM's throughput drifts by ±10 % from one run to the next: alternate the
                # two servers and compare medians rather than trusting one pair of runs.
                triage_runs, nginx_runs = [], []
                for _ in range(ROUNDS):
                    triage_runs.append(wrk(f"http://127.0.0.1:{port}/api/issues/popular", token))
                    nginx_runs.append(wrk(f"http://127.0.0.1:{nginx_port}/api/issues/popular"))
                triage_rps, nginx_rps = statistics.median(triage_runs), statistics.median(nginx_runs)
            finally:
                server.send_signal(signal.SIGQUIT)
                server.wait()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()

    print(f"popular query, Triage's form (sqlite3):       median {triage_ms:.2f} ms")
    print(f"popular query, the seed's correlated form:     median {seed_ms:.1f} ms")
    print(f"cache miss through triaged (flush, then GET):  median {statistics.median(misses):.2f} ms")
    runs = lambda values: ", ".join(f"{value:,.0f}" for value in values)
    print(f"cached GET /api/issues/popular ({len(body)} bytes): median {triage_rps:,.0f} req/s ({runs(triage_runs)})")
    print(f"nginx, the same bytes as a static file:        median {nginx_rps:,.0f} req/s ({runs(nginx_runs)})")
    print(f"ratio triaged / nginx: {triage_rps / nginx_rps:.2f}")


if __name__ == "__main__":
    main()
