"""A webhook receiver for the tests: a real HTTP server on loopback that verifies each delivery with the Standard
Webhooks reference library (PyPI `standardwebhooks`), answers 500 to the first `failures` requests, and keeps what
it received."""
import http.server
import json
import threading
import time

from standardwebhooks.webhooks import Webhook


class Receiver:
    def __init__(self, secret=None, failures=0):
        self.secret = secret
        self.failures = failures
        self.requests = []  # every request: (headers, body, status answered, verified)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (the name http.server calls)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except Exception:  # noqa: BLE001  (any failure of the reference verifier is a bad signature)
                    verified = False
                with receiver.lock:
                    status = 500 if receiver.failures > 0 else 200
                    receiver.failures -= 1
                    receiver.requests.append((headers, body, status, verified))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/dropgate"

    def delivered(self):
        """The events answered 200, as (webhook-id, parsed body), each verified."""
        with self.lock:
            return [(h["webhook-id"], json.loads(b)) for h, b, status, verified in self.requests if status == 200 and verified]

    def wait_for(self, predicate, timeout=60):
        """Waits until `predicate(delivered())` holds; the deliveries then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.delivered()
            if predicate(got):
                return got
            time.sleep(0.2)
        raise AssertionError(f"not delivered in {timeout} s; received {[(h.get('webhook-id'), s, v) for h, _, s, v in self.requests]}")

    def stop(self):
        self.server.shutdown()
