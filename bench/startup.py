#!/usr/bin/env python3
"""Start-to-READY time and idle RSS of triaged.

Each run starts the daemon in a fresh directory (new SQLite file, so the
migrations run every time) with a datagram socket standing in for systemd's
NOTIFY_SOCKET, measures the time until READY=1 arrives, then reads VmRSS
after two idle seconds and stops it with SIGTERM.
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(binary: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as directory:
        notify_path = os.path.join(directory, "notify.sock")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(30)
        env = {"PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": notify_path}
        started = time.monotonic()
        process = subprocess.Popen(
            [binary, "--port", "0", "--control-socket", os.path.join(directory, "c.sock")],
            cwd=directory, env=env, stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                message = notify.recv(4096).decode()
                if "READY=1" in message.split("\n"):
                    ready = time.monotonic() - started
                    break
            time.sleep(2)
            with open(f"/proc/{process.pid}/status") as status:
                rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            notify.close()
        return ready, rss_kib


def main() -> None:
    binary, runs = sys.argv[1], int(sys.argv[2])
    one_run(binary)  # warm the page cache
    results = [one_run(binary) for _ in range(runs)]
    ready = sorted(r[0] * 1000 for r in results)
    rss = sorted(r[1] / 1024 for r in results)
    print(f"start-to-READY over {runs} runs: median {statistics.median(ready):.1f} ms, "
          f"min {ready[0]:.1f} ms, max {ready[-1]:.1f} ms")
    print(f"idle RSS after READY + 2 s: median {statistics.median(rss):.1f} MiB, "
          f"min {rss[0]:.1f} MiB, max {rss[-1]:.1f} MiB")


if __name__ == "__main__":
    main()
