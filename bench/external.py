#!/usr/bin/env python3
"""GET /api/external/example on loopback: the fallback's latency with the
upstream refusing, hanging and behind an open breaker, and what a successful
call through the client adds to a direct request of the same upstream.

Every figure is the median of many requests with one keep-alive client;
"added" compares with GET /healthz on the same daemon (for fallbacks) or with
the upstream requested directly (for the success).
"""
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BODY = json.dumps({"userId": 1, "id": 1, "title": "bench", "body": "x" * 200}).encode()


def upstream_server():
    """A keep-alive JSON server on loopback answering each request in one write."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    response = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)

    def serve(connection):
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pending = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in pending:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
                _, pending = pending.split(b"\r\n\r\n", 1)
                connection.sendall(response)

    def accept():
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hanging_server():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            connection, _ = listener.accept()
            held.append(connection)  # never answered

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def timed(port, path, token=None, runs=200):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        samples.append((time.perf_counter() - began) * 1000)
    connection.close()
    return statistics.median(samples)


def with_daemon(triaged, triagectl, env, action):
    with tempfile.TemporaryDirectory(prefix="triage-bench-external-") as directory:
        socket_path = os.path.join(directory, "c.sock")
        port = free_port()
        base = {"PATH": "/usr/bin:/bin", "TRIAGE_AUTH_BCRYPT_COST": "4", "TRIAGE_STATS_CATCH_UP_DAYS": "0"}
        process = subprocess.Popen([triaged, "--port", str(port), "--control-socket", socket_path], cwd=directory,
                                   env={**base, **env}, stderr=subprocess.DEVNULL)
        try:
            while not os.path.exists(socket_path):
                if process.poll() is not None:
                    raise SystemExit(f"triaged exited with {process.returncode} (configuration {env})")
                time.sleep(0.02)
            subprocess.run([triagectl, "user", "create", "bench", "--role", "viewer", "--password-stdin", "--socket", socket_path],
                           input="bench-password\n", text=True, check=True, capture_output=True)
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("POST", "/api/auth/login", body='{"username":"bench","password":"bench-password"}')
            token = json.loads(connection.getresponse().read())["accessToken"]
            connection.close()
            return action(port, token)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    upstream_port = upstream_server()
    upstream_url = f"http://127.0.0.1:{upstream_port}/posts/1"
    hanging_url = f"http://127.0.0.1:{hanging_server()}/posts/1"
    closed_url = f"http://127.0.0.1:{free_port()}/posts/1"

    print("measuring…", file=sys.stderr, flush=True)
    direct = timed(upstream_port, "/posts/1")
    success = with_daemon(triaged, triagectl, {"TRIAGE_EXTERNAL_URL": upstream_url},
                          lambda port, token: (timed(port, "/healthz"), timed(port, "/api/external/example", token)))
    refused = with_daemon(triaged, triagectl, {"TRIAGE_EXTERNAL_URL": closed_url, "TRIAGE_EXTERNAL_RETRIES": "0",
                                               "TRIAGE_EXTERNAL_BREAKER_THRESHOLD": "1000",
                                               "TRIAGE_EXTERNAL_BREAKER_FAILURE_RATE": "0"},
                          lambda port, token: (timed(port, "/healthz"), timed(port, "/api/external/example", token)))
    hanging = with_daemon(triaged, triagectl, {"TRIAGE_EXTERNAL_URL": hanging_url, "TRIAGE_EXTERNAL_RETRIES": "0",
                                               "TRIAGE_EXTERNAL_READ_TIMEOUT": "0.2", "TRIAGE_EXTERNAL_BREAKER_THRESHOLD": "1000",
                                               "TRIAGE_EXTERNAL_BREAKER_FAILURE_RATE": "0"},
                          lambda port, token: (timed(port, "/healthz"), timed(port, "/api/external/example", token, runs=30)))
    breaker = with_daemon(triaged, triagectl, {"TRIAGE_EXTERNAL_URL": closed_url, "TRIAGE_EXTERNAL_RETRIES": "0",
                                               "TRIAGE_EXTERNAL_BREAKER_THRESHOLD": "1"},
                          lambda port, token: (timed(port, "/healthz"), timed(port, "/api/external/example", token)))

    print(f"direct GET of the upstream:                 {direct:.3f} ms")
    print(f"success through triaged:                    {success[1]:.3f} ms (adds {success[1] - direct:.3f} ms; /healthz {success[0]:.3f} ms)")
    print(f"fallback, upstream refusing (no retries):   {refused[1]:.3f} ms (adds {refused[1] - refused[0]:.3f} ms over /healthz)")
    print(f"fallback, upstream hanging (0.2 s timeout): {hanging[1]:.1f} ms (adds {hanging[1] - hanging[0] - 200:.3f} ms over the timeout "
          f"and /healthz; {hanging[1] - refused[1] - 200:.3f} ms over the timeout and the refused fallback)")
    print(f"fallback, breaker open:                     {breaker[1]:.3f} ms (adds {breaker[1] - breaker[0]:.3f} ms over /healthz)")


if __name__ == "__main__":
    main()
