#!/usr/bin/env python3
"""What `database.synchronous = full` costs: POST /api/issues through the
release triaged (wrk -t2 -c32, 10 s) with `normal` and with `full`, twice
each, alternating, on one SQLite file, beside the same modes' commit rate of
one row per transaction from Python's sqlite3 (the anchor: one commit, one
fsync of the WAL in `full`, with nothing to share it).

Usage: bench/durability.py TRIAGED TRIAGECTL
"""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

import lists


def python_commits(path, mode, seconds=5):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {mode}")
    connection.execute("CREATE TABLE IF NOT EXISTS anchor (x INTEGER)")
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        connection.execute("INSERT INTO anchor (x) VALUES (?)", (count,))
        count += 1
    connection.close()
    return count / (time.perf_counter() - began)


def posts(triaged, triagectl, directory, mode):
    socket_path, port = os.path.join(directory, "c.sock"), lists.free_port()
    process = lists.start(triaged, directory, port, socket_path, {"TRIAGE_DATABASE_SYNCHRONOUS": mode})
    try:
        time.sleep(0.5)
        subprocess.run([triagectl, "user", "create", f"w-{mode}-{port}", "--role", "member", "--password-stdin", "--socket", socket_path],
                       input="bench-password\n", text=True, check=True, capture_output=True)
        login = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", method="POST",
                                       data=json.dumps({"username": f"w-{mode}-{port}", "password": "bench-password"}).encode())
        token = json.load(urllib.request.urlopen(login))["accessToken"]
        script = os.path.join(directory, "create.lua")
        with open(script, "w") as file:
            file.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                       'wrk.body = \'{"title":"bench","description":""}\'\n')
        return lists.wrk(f"http://127.0.0.1:{port}/api/issues", token, connections=32, threads=2, script=script)["rps"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    lists.DURATION = "10s"
    with tempfile.TemporaryDirectory(prefix="triage-bench-durability-") as directory:
        results = {"normal": [], "full": []}
        anchors = {"normal": [], "full": []}
        for _ in range(2):
            for mode in ("normal", "full"):
                results[mode].append(posts(triaged, triagectl, directory, mode))
                anchors[mode].append(python_commits(os.path.join(directory, "anchor.sqlite"), mode))
        for mode in ("normal", "full"):
            print(f"synchronous={mode}: POST /api/issues {' / '.join(f'{r:,.0f}' for r in results[mode])} req/s; "
                  f"Python's sqlite3, one row per commit {' / '.join(f'{a:,.0f}' for a in anchors[mode])}/s", flush=True)
        print(f"full / normal: POST {sum(results['full']) / sum(results['normal']):.2f}, "
              f"Python {sum(anchors['full']) / sum(anchors['normal']):.2f}")


if __name__ == "__main__":
    main()
