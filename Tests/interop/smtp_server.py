"""A real SMTP server on loopback for the tests (PyPI `aiosmtpd`, the standard library's successor to smtpd): it
takes every message, keeps its envelope and its bytes, and can start late, to stand for a server that was down."""
import email
import email.policy
import time

from aiosmtpd.controller import Controller

from conftest import free_port


class SMTPServer:
    def __init__(self, port=None, start=True):
        self.messages = []  # (mail from, recipients, parsed message, raw bytes)
        self.port = port or free_port()
        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):  # noqa: N802  (aiosmtpd's name)
                raw = envelope.original_content or envelope.content
                server.messages.append((envelope.mail_from, list(envelope.rcpt_tos), email.message_from_bytes(raw, policy=email.policy.default), raw))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        if start:
            self.controller.start()

    def settings(self, **more):
        return {"host": "127.0.0.1", "port": self.port, "security": "none", "from": "Dropgate <drop@example.org>", **more}

    def wait_for(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.messages):
                return self.messages
            time.sleep(0.2)
        raise AssertionError(f"no such mail in {timeout} s; got {[(m[1], m[2]['Subject']) for m in self.messages]}")

    def stop(self):
        try:
            self.controller.stop()
        except Exception:  # noqa: BLE001  (never started)
            pass
