#!/usr/bin/env python3
"""Checks that a laurel-data written by one build of the standalone opens in another, with nothing lost.

  python3 bench/scripts/upgrade-check.py --old-jar OLD.jar --new-jar standalone/target/laurel-standalone-exec.jar

With the old jar on a fresh data directory it declares an event type, a rule, a leaderboard and a badge,
sends events, redeems points (an Axon wallet aggregate with its events in the JDBC event store) and holds
some, and records what the API answers. It stops the old platform cleanly, starts the new one on the same
directory and checks that every recorded answer is the same; then it goes on with the data: it confirms
the hold, redeems again (so the wallet's stored events are read back), sends more events and checks the
new totals. Prints each check and exits non-zero if one fails. Talks to localhost only.
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

PORT = 8080
STARTED = []  # every platform process started, so main can stop what is still running whatever happened


def call(method, path, key, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://localhost:{PORT}{path}", data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, (json.loads(raw) if raw else None)


def start(java, jar, data):
    log = open(os.path.join(data, "standalone.log"), "ab")
    env = dict(os.environ, LAUREL_DATA_DIR=data, LAUREL_PORT=str(PORT))
    proc = subprocess.Popen([java, "--enable-native-access=ALL-UNNAMED", "-jar", jar], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    STARTED.append(proc)
    deadline = time.monotonic() + 180
    key_file = os.path.join(data, "admin-key")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{jar} exited with {proc.returncode}; see {data}/standalone.log")
        if os.path.exists(key_file):
            key = open(key_file).read().strip()
            try:
                status, doc = call("GET", "/v1/ops/projections", key)
                if status == 200 and all(p["partitions"] and p["status"] == "running" for p in doc["projections"]):
                    return proc, key
            except Exception:
                pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"{jar} did not become ready in 180 s")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def until(fn, what, timeout=60):
    """fn()'s first truthy answer, or None (said on stdout) when there is none within timeout seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.3)
    print(f"timed out waiting for {what}: {last}", flush=True)
    return None


def points(key, user):
    status, doc = call("GET", f"/v1/users/{user}/points", key)
    return {b["currency"]: b["available"] for b in doc.get("balances", [])} if status == 200 else None


READS = ["/v1/admin/event-types", "/v1/admin/rules", "/v1/users/u1/points", "/v1/users/u2/points",
         "/v1/users/u1/ledger?limit=50", "/v1/leaderboards/all-time?offset=0&limit=10",
         "/v1/leaderboards/all-time/users/u2", "/v1/users/u1/badges", "/v1/users/u1/redemptions?limit=10",
         "/v1/event-log?limit=50"]


def snapshot(key):
    return {path: call("GET", path, key) for path in READS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old-jar", required=True)
    ap.add_argument("--new-jar", default="standalone/target/laurel-standalone-exec.jar")
    ap.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"))
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    args = ap.parse_args()
    data = tempfile.mkdtemp(prefix="laurel-upgrade-")
    print(f"data {data}", flush=True)
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            failures.append(what)

    try:
        run_checks(args, data, check, failures)
    finally:
        for proc in STARTED:
            if proc.poll() is None:
                stop(proc)
        subprocess.run(["pkill", "-f", os.path.join(data, "postgres")], check=False)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    print(f"{len(failures)} failed" if failures else "all checks passed", flush=True)
    return 1 if failures else 0


def run_checks(args, data, check, failures):
    """The checks; main stops whatever platform process is still running afterwards."""
    proc, key = start(args.java, args.old_jar, data)
    check(call("POST", "/v1/admin/event-types", key, {"name": "order_paid", "event_data_schema": {
        "required": ["amount"], "properties": {"amount": "number"}}})[0] == 201, "old: event type declared")
    check(call("POST", "/v1/admin/rules", key, {"name": "10 per order", "event_type": "order_paid",
                                                 "points": 10})[0] == 201, "old: rule defined")
    check(call("POST", "/v1/admin/badges", key, {"id": "first-order", "name": "First order", "kind": "first",
                                                  "event_type": "order_paid"})[0] == 201, "old: badge defined")
    for i in range(30):
        call("POST", "/v1/events", key, {"event_type": "order_paid", "user_id": "u1" if i % 3 else "u2",
                                         "event_data": {"amount": i}})
    if until(lambda: points(key, "u1") == {"points": 200}, "u1's 200 points on the old platform") is None:
        check(False, "old: events scored")
        return
    status, redeemed = call("POST", "/v1/redemptions", key, {"user_id": "u1", "points": 30,
                                                            "idempotency_key": "r1"})
    check(status == 201, f"old: redemption ({status})")
    status, held = call("POST", "/v1/redemptions", key, {"user_id": "u1", "points": 20, "hold": True,
                                                        "hold_seconds": 3600, "idempotency_key": "r2"})
    check(status == 201 and held["status"] == "held", f"old: hold ({status})")
    check(until(lambda: points(key, "u1") == {"points": 150}, "u1's 150 points after the redemption and the hold")
          is not None, "old: 150 points left after the redemption and the hold")
    check(until(lambda: call("GET", "/v1/users/u1/badges", key)[1].get("badges"), "u1's badge") is not None,
          "old: the badge awarded")
    time.sleep(2)
    before = snapshot(key)
    stop(proc)

    proc, key2 = start(args.java, args.new_jar, data)
    check(key2 == key, "new: the same bootstrap key")
    after = snapshot(key)
    for path in READS:
        check(after[path] == before[path], f"new: GET {path} answers as before")
    status, confirmed = call("POST", f"/v1/redemptions/{held['id']}/confirm", key)
    check(status == 200 and confirmed["status"] == "completed", f"new: the old hold is confirmed ({status})")
    status, _ = call("POST", "/v1/redemptions", key, {"user_id": "u1", "points": 1000, "idempotency_key": "r3"})
    check(status == 409, f"new: the wallet, replayed from the old event store, refuses an overdraft ({status})")
    status, again = call("POST", "/v1/redemptions", key, {"user_id": "u1", "points": 30, "idempotency_key": "r1"})
    check(status in (200, 201) and again["id"] == redeemed["id"], "new: the old idempotency key answers the old redemption")
    for i in range(3):
        call("POST", "/v1/events", key, {"event_type": "order_paid", "user_id": "u1", "event_data": {"amount": 1}})
    check(until(lambda: points(key, "u1") == {"points": 180}, "u1's 180 points on the new platform") is not None,
          "new: events after the upgrade are scored on top of the old balance (150 + 30)")


if __name__ == "__main__":
    sys.exit(main())
