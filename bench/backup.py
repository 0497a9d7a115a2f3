#!/usr/bin/env python3
"""`triagectl backup` of the 1 M-issue SQLite file while a write load runs (issue #18).

The data set is bench/generate.sql at 1 M issues and 3 M comments. Triaged (the
release build) serves it; WRITERS threads, each on its own keep-alive connection,
create issues as fast as triaged answers. After a baseline of BASELINE seconds,
`triagectl backup` copies the database to another file while the load goes on.
Reported, for the requests sent during the baseline and for those in flight at
any moment of the backup: count, requests per second, p50, p99 and the slowest.
Beside it, the anchor of the same run: sqlite3's own `.backup` of the same file
(SQLite's online backup API from its CLI), with no load.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import dataset
from today import Daemon

WRITERS = int(os.environ.get("BACKUP_WRITERS", "4"))
BASELINE = float(os.environ.get("BACKUP_BASELINE", "10"))


class Load:
    """Writers creating issues; each request is kept as (sent, answered) in perf_counter seconds."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.samples = []
        self.failures = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, writer):
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        done = []
        number = 0
        while not self.stop.is_set():
            body = json.dumps({"title": f"load {writer}-{number}", "description": "written during a backup"})
            sent = time.perf_counter()
            connection.request("POST", "/api/issues", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            answered = time.perf_counter()
            if response.status == 201:
                done.append((sent, answered))
            else:
                with self.lock:
                    self.failures += 1
            number += 1
        with self.lock:
            self.samples.extend(done)

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def summary(name, samples, seconds):
    latencies = sorted((answered - sent) * 1000 for sent, answered in samples)
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) >= 100 else latencies[-1]
    print(f"  {name}: {len(latencies)} requests, {len(latencies) / seconds:.0f}/s, p50 {statistics.median(latencies):.2f} ms, "
          f"p99 {p99:.2f} ms, slowest {latencies[-1]:.2f} ms")


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="triage-bench-backup-") as work:
        Daemon(triaged, triagectl, work, {}).stop()  # migrates
        database = os.path.join(work, "triage-data", "triage.sqlite")
        dataset.generate_sqlite(database)
        daemon = Daemon(triaged, triagectl, work, {})
        try:
            daemon.ctl("user", "create", "bench-writer", "--role", "member", "--password-stdin", input="bench-password\n")
            login = urllib.request.Request(f"http://127.0.0.1:{daemon.port}/api/auth/login", method="POST",
                                           data=b'{"username":"bench-writer","password":"bench-password"}')
            token = json.load(urllib.request.urlopen(login))["accessToken"]
            load = Load(daemon.port, token)
            load.start()
            time.sleep(2)  # warm-up, not counted
            baseline_start = time.perf_counter()
            time.sleep(BASELINE)
            backup_start = time.perf_counter()
            copy = os.path.join(work, "copy.sqlite")
            result = subprocess.run([triagectl, "backup", copy, "--json", "--socket", daemon.socket], capture_output=True, text=True, check=True)
            backup_end = time.perf_counter()
            time.sleep(1)
            load.finish()
        finally:
            daemon.stop()
        report = json.loads(result.stdout)
        print(f"backup of the 1 M-issue file under {WRITERS} writers: {report['bytes'] / 1_048_576:.0f} MiB, "
              f"{report['tables']['issues']} issues, {report['tables']['comments']} comments")
        print(f"  copy in triaged: {report['seconds']:.2f} s; triagectl backup end to end: {backup_end - backup_start:.2f} s")
        baseline = [s for s in load.samples if baseline_start <= s[0] < backup_start]
        during = [s for s in load.samples if s[0] < backup_end and s[1] > backup_start]
        summary("writes before the backup", baseline, backup_start - baseline_start)
        summary("writes during the backup", during, backup_end - backup_start)
        slowest = max(during, key=lambda sample: sample[1] - sample[0])
        print(f"  the slowest write during it was sent {slowest[0] - backup_start:+.2f} s after the backup began "
              f"(the copy is made in the first {report['seconds']:.2f} s, then streamed and synced)")
        print(f"  failed writes: {load.failures}")
        integrity = subprocess.run(["sqlite3", copy, "PRAGMA integrity_check"], capture_output=True, text=True, check=True).stdout.strip()
        print(f"  the copy's integrity_check: {integrity}")
        began = time.perf_counter()
        subprocess.run(["sqlite3", database, f".backup '{os.path.join(work, 'anchor.sqlite')}'"], check=True)
        print(f"  anchor, sqlite3 .backup of the same file (no load): {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
