#!/usr/bin/env python3
"""Time from an unclean restart of the standalone until every projection holds its partitions again.

Starts the standalone jar on a fresh data directory, waits until every projection of
GET /v1/ops/projections holds the partitions it held in steady state, sends a few events, then
SIGKILLs the JVM and starts it again, RUNS times. For each restart it prints the seconds from the
new process's launch until the API answers, and until every projection holds all its partitions.

  python3 bench/scripts/restart-time.py [--jar standalone/target/laurel-standalone-exec.jar]
                                        [--java /usr/lib/jvm/.../bin/java] [--runs 3] [--data DIR]

Uses only the standard library; talks to localhost only. The embedded PostgreSQL survives a SIGKILL of
the JVM (it runs as a daemon), as in a real crash of the standalone; it is stopped at the end.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BASE = "http://localhost:%d"


def get(port, path, key, timeout=2):
    req = urllib.request.Request(BASE % port + path, headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def post(port, path, key, body):
    req = urllib.request.Request(BASE % port + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def held(port, key):
    """{projection: set of (topic, partition)} as the API shows them now, or None if it does not answer."""
    try:
        doc = get(port, "/v1/ops/projections", key)
    except Exception:
        return None
    return {p["name"]: {(x["topic"], x["partition"]) for x in p.get("partitions", [])}
            for p in doc["projections"]}


def start(java, jar, data, port, log):
    env = dict(os.environ, LAUREL_DATA_DIR=data, LAUREL_PORT=str(port))
    out = open(log, "ab")
    return subprocess.Popen([java, "--enable-native-access=ALL-UNNAMED", "-jar", jar], env=env,
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_key(data, deadline):
    path = os.path.join(data, "admin-key")
    while time.monotonic() < deadline:
        if os.path.exists(path):
            k = open(path).read().strip()
            if k:
                return k
        time.sleep(0.1)
    raise SystemExit("no admin key after the deadline")


def measure(port, key, expected, launched, limit):
    """Seconds from launch until the API answers, and until every projection holds what it held before."""
    t_http = t_held = None
    while time.monotonic() - launched < limit:
        now = held(port, key)
        t = time.monotonic() - launched
        if now is not None and t_http is None:
            t_http = t
        if now is not None and all(now.get(name) == parts for name, parts in expected.items()):
            t_held = t
            break
        time.sleep(0.1)
    return t_http, t_held


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="standalone/target/laurel-standalone-exec.jar")
    ap.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--data", default=None, help="data directory (default: a fresh temporary one)")
    ap.add_argument("--limit", type=float, default=180.0, help="give up on a restart after this many seconds")
    args = ap.parse_args()
    data = args.data or tempfile.mkdtemp(prefix="laurel-restart-")
    log = os.path.join(data, "standalone.log")
    os.makedirs(data, exist_ok=True)
    print(f"data {data}, log {log}", flush=True)

    procs = []
    try:
        return run(args, data, log, procs)
    finally:
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        subprocess.run(["pkill", "-f", os.path.join(data, "postgres")], check=False)
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)


def run(args, data, log, procs):
    proc = start(args.java, args.jar, data, args.port, log)
    procs.append(proc)
    launched = time.monotonic()
    key = wait_key(data, launched + args.limit)
    expected = None
    while time.monotonic() - launched < args.limit:
        now = held(args.port, key)
        if now and all(now.values()):
            time.sleep(2)  # steady: nothing rebalances any more
            again = held(args.port, key)
            if again == now:
                expected = now
                break
        time.sleep(0.2)
    if expected is None:
        raise SystemExit("projections never held their partitions on the first start")
    print(f"first start: steady after {time.monotonic() - launched:.1f} s; projections "
          + ", ".join(f"{n}={len(p)}" for n, p in sorted(expected.items())), flush=True)
    post(args.port, "/v1/admin/event-types", key, {"name": "probe_done", "event_data_schema": {}})
    post(args.port, "/v1/admin/rules", key, {"name": "probe", "event_type": "probe_done", "points": 1})

    results = []
    for run in range(1, args.runs + 1):
        for i in range(20):
            post(args.port, "/v1/events", key, {"event_type": "probe_done", "user_id": f"u{i}", "event_data": {}})
        time.sleep(1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc = start(args.java, args.jar, data, args.port, log)
        procs.append(proc)
        launched = time.monotonic()
        t_http, t_held = measure(args.port, key, expected, launched, args.limit)
        results.append((t_http, t_held))
        fmt = lambda v: "never" if v is None else f"{v:.1f} s"
        gap = "" if t_http is None or t_held is None else f" ({t_held - t_http:.1f} s after the API answered)"
        print(f"restart {run}: API answers after {fmt(t_http)}; every projection holds its partitions after "
              f"{fmt(t_held)}{gap}", flush=True)

    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
    ok = [r for r in results if r[1] is not None]
    if ok:
        gaps = sorted(r[1] - r[0] for r in ok)
        print(f"summary: {len(ok)}/{len(results)} restarts recovered; held after the API answered: "
              f"min {gaps[0]:.1f} s, max {gaps[-1]:.1f} s", flush=True)
    return 0 if len(ok) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
