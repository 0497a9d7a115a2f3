#!/usr/bin/env python3
"""A soak: the release triaged on SQLite under a steady mixed load for
SOAK_MINUTES (default 30): reads (lists, single issues), writes (issues,
comments, status changes), popular hits and the external call, with the batch
every minute (stats.cron), a reload (SIGHUP) every 5 minutes and the upstream
flapping between OK, 503 and a hang every 20 s.

Each minute it records triaged's RSS, open descriptors, open sockets, and the
minute's request count, p99 latency and answers by status (wrk with a Lua
script, one run per minute). It writes bench/results/soak.json and
bench/results/soak.svg, and prints the RSS slope after warm-up (least squares
over minutes 5 to the end, MiB per 10 minutes) and every 5xx other than the
503s the faults explain (the external call's fallback is a 200 that says it
is degraded; 503s come from nothing here but are counted apart).

Usage: bench/soak.py TRIAGED TRIAGECTL
"""
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

MINUTES = int(os.environ.get("SOAK_MINUTES", "30"))
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")

LUA = r"""
-- Globals, not locals: done() reads each thread's `counts` with thread:get.
counts = {}
local threads = {}
local token = os.getenv("SOAK_TOKEN")
local n = 0
function setup(thread) table.insert(threads, thread) end
function init(args)
  counts = {}
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end
function delay() return 4 end
function request()
  n = n + 1
  local kind = n % 10
  if kind == 0 then
    return wrk.format("POST", "/api/issues", nil, '{"title":"soak","description":"soak"}')
  elseif kind == 1 then
    return wrk.format("POST", "/api/issues/" .. math.random(1, 2000) .. "/comments", nil, '{"content":"soak"}')
  elseif kind == 2 then
    local statuses = {"IN_PROGRESS", "RESOLVED", "CLOSED", "OPEN"}
    return wrk.format("PATCH", "/api/issues/" .. math.random(1, 2000), nil, '{"status":"' .. statuses[math.random(1, 4)] .. '"}')
  elseif kind == 3 then
    return wrk.format("GET", "/api/issues/popular")
  elseif kind == 4 then
    return wrk.format("GET", "/api/external/example")
  elseif kind == 5 then
    return wrk.format("GET", "/api/issues?size=20&status=OPEN")
  elseif kind == 6 then
    return wrk.format("GET", "/api/issues?size=20")
  else
    return wrk.format("GET", "/api/issues/" .. math.random(1, 2000))
  end
end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, count in pairs(c) do total[status] = (total[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, '"' .. status .. '":' .. count) end
  io.write("COUNTS {" .. table.concat(parts, ",") .. "}\n")
  io.write(string.format("P99 %d\n", latency:percentile(99)))
end
"""


class FlappingUpstream(http.server.BaseHTTPRequestHandler):
    """OK, then 503, then a hang, 20 s each, over and over."""
    started = time.monotonic()

    def do_GET(self):
        phase = int((time.monotonic() - self.started) // 20) % 3
        if phase == 2:
            time.sleep(30)
            return
        body = b'{"id":1,"title":"upstream"}' if phase == 0 else b'{"error":"down"}'
        self.send_response(200 if phase == 0 else 503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_sample(pid):
    with open(f"/proc/{pid}/status") as status:
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1)) / 1024
    descriptors = sockets = 0
    for name in os.listdir(f"/proc/{pid}/fd"):
        descriptors += 1
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                sockets += 1
        except OSError:
            pass
    return rss, descriptors, sockets


def slope_per_ten_minutes(points):
    """Least-squares slope of (minute, value), times 10."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    denominator = sum((x - mx) ** 2 for x in xs)
    return 10 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / denominator if denominator else 0.0


def svg(samples, path):
    """Four small line charts, one per series, minutes on the x axis."""
    series = [("RSS (MiB)", "rss"), ("open descriptors", "descriptors"), ("open sockets", "sockets"), ("p99 latency (ms)", "p99_ms")]
    width, height, margin = 360, 170, 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{2 * height}" font-family="sans-serif" font-size="11">']
    for index, (title, key) in enumerate(series):
        ox, oy = (index % 2) * width, (index // 2) * height
        values = [s[key] for s in samples]
        top = max(values + [1]) * 1.1
        last = max(len(samples) - 1, 1)
        points = " ".join(
            f"{ox + margin + (width - 2 * margin) * i / last:.1f},{oy + height - margin - (height - 2 * margin) * v / top:.1f}"
            for i, v in enumerate(values))
        parts.append(f'<text x="{ox + margin}" y="{oy + 18}">{title}: first {values[0]:.1f}, last {values[-1]:.1f}, max {max(values):.1f}</text>')
        parts.append(f'<line x1="{ox + margin}" y1="{oy + height - margin}" x2="{ox + width - margin}" y2="{oy + height - margin}" stroke="#888"/>')
        parts.append(f'<line x1="{ox + margin}" y1="{oy + margin}" x2="{ox + margin}" y2="{oy + height - margin}" stroke="#888"/>')
        parts.append(f'<text x="{ox + margin - 4}" y="{oy + margin + 4}" text-anchor="end">{top:.0f}</text>')
        parts.append(f'<text x="{ox + width - margin}" y="{oy + height - margin + 14}" text-anchor="end">minute {len(samples)}</text>')
        parts.append(f'<polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="{points}"/>')
    parts.append("</svg>")
    with open(path, "w") as file:
        file.write("\n".join(parts) + "\n")


def main():
    triaged, triagectl = sys.argv[1], sys.argv[2]
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlappingUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    os.makedirs(RESULTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="triage-soak-") as directory:
        port, control = free_port(), os.path.join(directory, "control.sock")
        env = {"PATH": "/usr/bin:/bin", "TRIAGE_AUTH_BCRYPT_COST": "4", "TRIAGE_LOG_LEVEL": "warning",
               "TRIAGE_STATS_CRON": "0 * * * * *", "TRIAGE_STATS_CATCH_UP_DAYS": "30",
               "TRIAGE_EXTERNAL_URL": f"http://127.0.0.1:{upstream.server_address[1]}/posts/1",
               "TRIAGE_AUTH_ATTEMPTS_PER_MINUTE": "100000"}
        log = open(os.path.join(directory, "triaged.log"), "w")
        process = subprocess.Popen([triaged, "--port", str(port), "--control-socket", control], cwd=directory, env=env, stderr=log)
        try:
            while not os.path.exists(control):
                time.sleep(0.05)
            subprocess.run([triagectl, "user", "create", "soak", "--role", "member", "--password-stdin", "--socket", control],
                           input="soak-password\n", text=True, check=True, capture_output=True)
            login = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/login", method="POST",
                                           data=b'{"username":"soak","password":"soak-password"}')
            token = json.load(urllib.request.urlopen(login))["accessToken"]
            for _ in range(2000):  # the issues the load reads, comments on and moves
                create = urllib.request.Request(f"http://127.0.0.1:{port}/api/issues", method="POST",
                                                data=b'{"title":"seed","description":""}',
                                                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                urllib.request.urlopen(create).read()
            script = os.path.join(directory, "mix.lua")
            with open(script, "w") as file:
                file.write(LUA)
            samples = []
            for minute in range(1, MINUTES + 1):
                if minute % 5 == 0:
                    process.send_signal(signal.SIGHUP)
                output = subprocess.run(["wrk", "-t2", "-c8", "-d60s", "--timeout", "40s", "-s", script, f"http://127.0.0.1:{port}"],
                                        env={**os.environ, "SOAK_TOKEN": token}, check=True, capture_output=True, text=True).stdout
                counts = json.loads(re.search(r"COUNTS (\{.*\})", output).group(1))
                p99 = int(re.search(r"P99 (\d+)", output).group(1)) / 1000
                rss, descriptors, sockets = process_sample(process.pid)
                sample = {"minute": minute, "rss": rss, "descriptors": descriptors, "sockets": sockets, "p99_ms": p99,
                          "requests": sum(counts.values()), "answers": counts}
                samples.append(sample)
                print(json.dumps(sample), flush=True)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait()
            log.close()
            errors = [line for line in open(os.path.join(directory, "triaged.log")) if "level=error" in line]
    with open(os.path.join(RESULTS, "soak.json"), "w") as file:
        json.dump(samples, file, indent=1)
    svg(samples, os.path.join(RESULTS, "soak.svg"))
    warm = [(s["minute"], s["rss"]) for s in samples if s["minute"] >= 5]
    server_errors = {}
    for sample in samples:
        for status, count in sample["answers"].items():
            if status.startswith("5"):
                server_errors[status] = server_errors.get(status, 0) + count
    print(f"minutes {len(samples)}; requests {sum(s['requests'] for s in samples):,}; "
          f"RSS {samples[0]['rss']:.1f} → {samples[-1]['rss']:.1f} MiB, slope after minute 5: {slope_per_ten_minutes(warm):+.2f} MiB per 10 min; "
          f"descriptors {samples[0]['descriptors']} → {samples[-1]['descriptors']} (max {max(s['descriptors'] for s in samples)}); "
          f"p99 max {max(s['p99_ms'] for s in samples):.1f} ms; 5xx {server_errors or 'none'}; "
          f"exit {code}; error lines in the log {len(errors)}")
    for line in errors[:10]:
        print("  " + line.rstrip()[:300])


if __name__ == "__main__":
    main()
