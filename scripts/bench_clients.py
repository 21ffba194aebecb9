"""Idle and slow clients against `dropgate serve` (embedded store), as issue 14 measures them; run by bench-clients.sh.

1. 10,000 idle keep-alive connections (each asked GET /healthz once): the gateway's RSS, peak RSS and threads, and
   meanwhile another client's GET /healthz p50 and p99 over 2,000 requests.
2. 4,100 slow-body connections from 127.0.0.2 (a POST that sends one byte every 5 s): what they got, and meanwhile a
   client on 127.0.0.3 asking GET /healthz for 15 s: its count, p50 and p99.

The last lines are `idle-rss`, `idle-peak-rss`, `idle-threads`, `idle-other-p99`, `slow-other-p99`, `slow-refused`,
`slow-408`, each with its unit, and `baseline-p99`: the other client's p99 on an idle gateway, measured first.
"""
import http.client, os, pathlib, socket, sys, tempfile, threading, time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "Tests" / "interop"))
from gateway_fixtures import Gateway  # noqa: E402


def latencies(port, seconds=None, count=None, source="127.0.0.1"):
    client = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0))
    times, start = [], time.time()
    while (count is None or len(times) < count) and (seconds is None or time.time() - start < seconds):
        began = time.perf_counter()
        client.request("GET", "/healthz")
        client.getresponse().read()
        times.append((time.perf_counter() - began) * 1000)
    client.close()
    times.sort()
    return times


def percentile(times, fraction):
    return times[min(len(times) - 1, int(len(times) * fraction))]


def status_field(pid, name):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(name):
            return int(line.split()[1]) / 1024
    return 0.0


def idle(binary, folder):
    (folder / "idle").mkdir()
    gateway = Gateway(binary, folder / "idle", limits={"connectionsPerClient": 0})
    pid = gateway.process.pid
    baseline = latencies(gateway.port, count=2000)
    sockets = []
    for _ in range(10_000):
        connection = socket.create_connection(("127.0.0.1", gateway.port))
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sockets.append(connection)
    for connection in sockets:
        data = b""
        while b"ok" not in data:
            data += connection.recv(4096)
    time.sleep(1.5)
    rss, peak = status_field(pid, "VmRSS"), status_field(pid, "VmHWM")
    threads = len(os.listdir(f"/proc/{pid}/task"))
    other = latencies(gateway.port, count=2000)
    for connection in sockets:
        connection.close()
    gateway.stop()
    return baseline, rss, peak, threads, other


def slow(binary, folder):
    (folder / "slow").mkdir()
    gateway = Gateway(binary, folder / "slow")
    dripping, refused = [], 0
    for _ in range(4100):
        connection = socket.socket()
        connection.bind(("127.0.0.2", 0))
        try:
            connection.connect(("127.0.0.1", gateway.port))
            connection.sendall(b"POST /api/uploads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{")
            dripping.append(connection)
        except OSError:
            refused += 1
    stop = threading.Event()

    def drip():
        while not stop.is_set():
            for connection in dripping:
                try:
                    connection.send(b" ")
                except OSError:
                    pass
            stop.wait(5)

    threading.Thread(target=drip, daemon=True).start()
    other = latencies(gateway.port, seconds=15, source="127.0.0.3")
    answers = {}
    for connection in dripping:
        connection.setblocking(False)
        try:
            data = connection.recv(200)
        except OSError:
            data = b""
        status = data.split(b"\r\n")[0].decode(errors="replace")[9:12] if data else "none"
        answers[status] = answers.get(status, 0) + 1
    stop.set()
    for connection in dripping:
        connection.close()
    gateway.stop()
    return other, refused + answers.get("429", 0), answers.get("408", 0), answers


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="dropgate-bench-clients.") as work:
        folder = pathlib.Path(work)
        baseline, rss, peak, threads, other = idle(binary, folder)
        print(f"10,000 idle: RSS {rss:.0f} MB, peak {peak:.0f} MB, {threads} threads; other client p50 "
              f"{percentile(other, 0.5):.3f} ms (idle gateway: {percentile(baseline, 0.5):.3f} ms)", file=sys.stderr)
        slow_other, refused, timed_out, answers = slow(binary, folder)
        print(f"4,100 slow bodies: {answers}; 127.0.0.3 made {len(slow_other)} requests, p50 {percentile(slow_other, 0.5):.3f} ms",
              file=sys.stderr)
        print(f"idle-rss {rss:.0f} MB")
        print(f"idle-peak-rss {peak:.0f} MB")
        print(f"idle-threads {threads} threads")
        print(f"idle-other-p99 {percentile(other, 0.99):.3f} ms")
        print(f"slow-other-p99 {percentile(slow_other, 0.99):.3f} ms")
        print(f"slow-refused {refused} connections")
        print(f"slow-408 {timed_out} connections")
        print(f"baseline-p99 {percentile(baseline, 0.99):.3f} ms")


if __name__ == "__main__":
    main()
