"""The HTTP server (`dropgate debug-server`) driven by real clients: curl, Python's http.client, wrk."""
import http.client
import os
import resource
import socket
import subprocess
import time

import pytest

pytestmark = pytest.mark.alone  # measures time, CPU or another client's latency: run with the machine to itself


@pytest.fixture()
def server(dropgate_bin, tmp_path):
    """Starts `dropgate debug-server` on a free port; yields (port, pid)."""
    process = subprocess.Popen(
        [dropgate_bin, "debug-server", "--port", "0", "--data", str(tmp_path / "data"), "--header-timeout", "3"],
        stdout=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("listening on http://127.0.0.1:"), line
    port = int(line.strip().rsplit(":", 1)[1])
    yield port, process.pid
    process.terminate()
    process.wait(timeout=20)


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_keep_alive_with_http_client(server):
    port, _ = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    sockets = set()
    for _ in range(20):
        connection.request("GET", "/ping")
        response = connection.getresponse()
        assert response.status == 200
        assert b'"pong"' in response.read()
        sockets.add(id(connection.sock))
    assert len(sockets) == 1


def test_curl_upload_with_100_continue_does_not_stall(server, tmp_path):
    port, _ = server
    source = tmp_path / "five.bin"
    source.write_bytes(os.urandom(5 * 1000 * 1000))
    start = time.monotonic()
    result = subprocess.run(
        ["curl", "-sS", "-v", "-T", str(source), f"http://127.0.0.1:{port}/upload/five"], capture_output=True, text=True, timeout=30
    )
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert "100 Continue" in result.stderr
    assert '{"bytes":5000000}' in result.stdout
    assert elapsed < 0.9, f"curl -T took {elapsed:.2f}s: the 100-continue wait was not skipped"


def test_one_gib_streams_both_ways_in_flat_memory(server, tmp_path):
    port, pid = server
    size = 1 << 30
    source = tmp_path / "gib.bin"
    with open(source, "wb") as handle:
        block = os.urandom(1 << 20)
        for _ in range(size >> 20):
            handle.write(block)
    upload = subprocess.run(
        ["curl", "-sS", "-T", str(source), f"http://127.0.0.1:{port}/upload/gib"], capture_output=True, text=True, timeout=300
    )
    assert upload.returncode == 0, upload.stderr
    assert f'{{"bytes":{size}}}' in upload.stdout
    copy = tmp_path / "copy.bin"
    download = subprocess.run(["curl", "-sS", "-o", str(copy), f"http://127.0.0.1:{port}/download/gib"], capture_output=True, timeout=300)
    assert download.returncode == 0
    assert copy.stat().st_size == size
    assert subprocess.run(["cmp", str(source), str(copy)]).returncode == 0
    assert peak_rss_mib(pid) < 50


def test_slowloris_gets_408_and_is_closed(server):
    port, _ = server
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.settimeout(10)
        start = time.monotonic()
        reply = b""
        for byte in b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaa":
            try:
                client.send(bytes([byte]))
            except OSError:
                break
            time.sleep(1)
            client.setblocking(False)
            try:
                reply += client.recv(4096)
            except BlockingIOError:
                pass
            client.setblocking(True)
            if reply:
                break
        client.settimeout(5)
        while True:
            chunk = client.recv(4096)
            if not chunk:
                break
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 408"), reply
        assert time.monotonic() - start < 8


def test_a_new_request_is_served_with_1000_idle_connections(server):
    port, _ = server
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    idle = []
    try:
        for index in range(1000):  # from ten loopback addresses: one address may hold 256 connections at most
            idle.append(socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.0.{10 + index % 10}", 0)))
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/ping")
        assert connection.getresponse().status == 200
        assert time.monotonic() - start < 2
    finally:
        for sock in idle:
            sock.close()


def test_one_address_may_hold_256_connections_and_another_is_still_served(server):
    port, _ = server
    held = [socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.2", 0)) for _ in range(256)]
    try:
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.2", 0))
        extra.settimeout(5)
        assert extra.recv(4096).startswith(b"HTTP/1.1 429 Too Many Requests")
        extra.close()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.3", 0))
        connection.request("GET", "/ping")
        assert connection.getresponse().status == 200
    finally:
        for sock in held:
            sock.close()


def test_wrk_load_has_no_errors(server):
    port, _ = server
    result = subprocess.run(["wrk", "-t1", "-c16", "-d2s", f"http://127.0.0.1:{port}/ping"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Socket errors" not in result.stdout, result.stdout
    assert "Non-2xx" not in result.stdout, result.stdout
    requests = int(result.stdout.split(" requests in ")[0].split()[-1])
    assert requests > 1000
