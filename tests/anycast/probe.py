#!/usr/bin/env python3
"""The anycast drills' client: measures one step from the client namespace and prints one JSON line.

Two things at once, for SECONDS:
  * new connections: one short HTTP request every INTERVAL ms on a new TCP connection (its own source port, so the
    router's L4 hash spreads them); a failure is a refused, reset or timed-out request; the longest outage is the
    longest run of time in which every request failed;
  * established connections: KEEP keep-alive connections opened at the start, each asking for a page every 100 ms;
    the page names the host, so a connection is counted broken against the host it was established to.
With ECMP only the flows hashed to a failed host fail, so beside the longest outage (every request failing) the
failing window says for how long some did: from the first failure to the end of the last one.
"""
import http.client
import json
import sys
import threading
import time

vip, seconds, interval_ms, keep = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
timeout = 0.5
lock = threading.Lock()
results = []            # (start, ok, host, end)
held = {}               # index -> host it was established to
broken = {}             # index -> host, for connections that failed after being established


def get(conn):
    conn.request("GET", "/")
    r = conn.getresponse()
    body = r.read().decode().strip()
    if r.status != 200:
        raise IOError("status %d" % r.status)
    return body.split("\n", 1)[0]  # the page's first line names the host (the nginx role's page has more)


def short_requests(end):
    while time.monotonic() < end:
        start = time.monotonic()
        ok, host = False, None
        try:
            c = http.client.HTTPConnection(vip, 80, timeout=timeout)
            host = get(c)
            c.close()
            ok = True
        except Exception:
            pass
        with lock:
            results.append((start, ok, host, time.monotonic()))
        time.sleep(max(0.0, interval_ms / 1000.0 - (time.monotonic() - start)))


def established(i, end):
    try:
        c = http.client.HTTPConnection(vip, 80, timeout=timeout)
        host = get(c)
    except Exception:
        return
    with lock:
        held[i] = host
    while time.monotonic() < end:
        time.sleep(0.1)
        try:
            if get(c) != host:
                raise IOError("moved")
        except Exception:
            with lock:
                broken[i] = host
            return


end = time.monotonic() + seconds
threads = [threading.Thread(target=established, args=(i, end)) for i in range(keep)]
threads.append(threading.Thread(target=short_requests, args=(end,)))
for t in threads:
    t.start()
for t in threads:
    t.join()

failed = sum(1 for r in results if not r[1])
longest, run_start = 0.0, None
for start, ok, _, _ in results:
    if not ok and run_start is None:
        run_start = start
    elif ok and run_start is not None:
        longest = max(longest, start - run_start)
        run_start = None
if run_start is not None:
    longest = max(longest, end - run_start)
fails = [(start, end) for start, ok, _, end in results if not ok]
window = (fails[-1][1] - fails[0][0]) if fails else 0.0  # from the start of the first failure to the end of the last
served = {}
for _, ok, host, _ in results:
    if ok:
        served[host] = served.get(host, 0) + 1
print(json.dumps({"requests": len(results), "failed": failed, "longest_outage_ms": round(longest * 1000),
                  "failing_ms": round(window * 1000) if fails else 0,
                  "served": served, "established": held, "broken": broken}))
