"""Issue 27, item 5: the CLI speaks HTTP and HTTPS only. A hostile gateway (a fake one here, on loopback) that
redirects a download to gopher:// or dict://, or plans an upload to file://, gets a one-line error and exit status 1:
nothing reaches the other port and no local file is written."""
import http.server
import json
import os
import socket
import subprocess
import threading

import pytest

SHARE = "AAAAAAAAAAAAAAAAAAAAAA"


class Listener:
    """A TCP port that records whether anything connected to it."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
                self.connections += 1
                connection.close()
            except OSError:
                continue

    def stop(self):
        self.running = False
        self.thread.join()
        self.socket.close()


def fake_gateway(answer):
    """A gateway that answers every request with `answer(handler)`: (status, headers, body)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def respond(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            status, headers, body = answer(self)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = respond

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def facts():
    return {"id": SHARE, "filename": "f.txt", "size": 5, "contentType": "text/plain", "createdAt": "2026-12-01T00:00:00Z",
            "expiresAt": "2027-12-01T00:00:00Z", "downloads": 0,
            "files": [{"filename": "f.txt", "size": 5, "contentType": "text/plain", "url": "http://x/s/a/1"}]}


@pytest.mark.parametrize("scheme", ["gopher", "dict", "file", "ftp"])
def test_a_download_redirected_to_another_scheme_is_refused(dropgate_bin, tmp_path, scheme):
    listener = Listener()
    target = f"{scheme}://127.0.0.1:{listener.port}/_attacker-bytes" if scheme != "file" else f"file://{tmp_path}/secret.txt"
    (tmp_path / "secret.txt").write_text("secret")

    def answer(handler):
        if handler.path.endswith("/unlock"):
            return 200, {"Content-Type": "application/json"}, b'{"passwordRequired":false}'
        if handler.path == f"/api/shares/{SHARE}":
            return 200, {"Content-Type": "application/json"}, json.dumps(facts()).encode()
        return 302, {"Location": target}, b""

    server = fake_gateway(answer)
    out = tmp_path / "out"
    out.mkdir()
    try:
        result = subprocess.run([dropgate_bin, "download", f"http://127.0.0.1:{server.server_port}/s/{SHARE}", "-o", str(out)],
                                capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    finally:
        server.shutdown()
        listener.stop()
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "not http or https" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert listener.connections == 0
    assert os.listdir(out) == []


@pytest.mark.parametrize("scheme", ["file", "gopher"])
def test_an_upload_planned_to_another_scheme_writes_nothing(dropgate_bin, tmp_path, scheme):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    listener = Listener()
    url = f"file://{victim}" if scheme == "file" else f"gopher://127.0.0.1:{listener.port}/_x"

    def answer(handler):
        if handler.path == "/api/limits":
            limits = {"maxBytes": 1 << 30, "allowedTypes": ["*/*"], "hashLimit": 1 << 30, "tokenRequired": False,
                      "transfer": {"parallelParts": 1, "partAttempts": 1}}
            return 200, {"Content-Type": "application/json"}, json.dumps(limits).encode()
        plan = {"id": "x.y", "key": "uploads/2026/12/k/f.txt", "method": "PUT", "url": url, "headers": {"Content-Type": "text/plain"},
                "expiresAt": "2027-01-01T00:00:00Z", "transfer": {"parallelParts": 1, "partAttempts": 1}}
        return 201, {"Content-Type": "application/json"}, json.dumps(plan).encode()

    server = fake_gateway(answer)
    source = tmp_path / "f.txt"
    source.write_text("NEW BYTES")
    try:
        result = subprocess.run([dropgate_bin, "upload", str(source), "--gateway", f"http://127.0.0.1:{server.server_port}"],
                                capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    finally:
        server.shutdown()
        listener.stop()
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "not http or https" in result.stderr, result.stderr
    assert victim.read_text() == "keep me"
    assert listener.connections == 0


def test_an_encrypted_links_password_never_goes_to_a_gateway_that_hides_the_salt(dropgate_bin, tmp_path):
    """A link marked #p is an encrypted share's: a gateway that answers its unlock info without the key wrap's salt
    (hoping for the password itself, which would unwrap the key) gets nothing, and the CLI says why."""
    seen = []

    def answer(handler):
        seen.append((handler.command, handler.path))
        if handler.path.endswith("/unlock") and handler.command == "GET":
            return 200, {"Content-Type": "application/json"}, b'{"passwordRequired":true}'
        return 303, {"Location": f"/s/{SHARE}", "Set-Cookie": "dg_unlock=x"}, b""

    server = fake_gateway(answer)
    try:
        result = subprocess.run([dropgate_bin, "download", f"http://127.0.0.1:{server.server_port}/s/{SHARE}#p", "--password", "the secret",
                                 "-o", str(tmp_path)], capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    finally:
        server.shutdown()
    assert result.returncode != 0 and "refusing to send the password" in result.stderr, result.stderr
    assert seen == [("GET", f"/api/shares/{SHARE}/unlock")]  # no POST of any password
