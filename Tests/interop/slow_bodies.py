"""A slow-body flood (issue 27, item 2): many connections from many loopback addresses, each sending a request head
and then its body one byte every two seconds, reconnecting whenever the server closes it; meanwhile the server
process's threads and resident memory are read from /proc.

Runnable alone against any server, to compare builds:
    python3 slow_bodies.py PID PORT 'POST /api/uploads HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n' 150 100 30
"""
import json
import socket
import sys
import time


def process_status(pid):
    """Threads and resident memory (MiB) of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0]) / 1024


class SlowBodies:
    def __init__(self, port, head, addresses, per_address, first_octets=(127, 0, 6)):
        self.port, self.head = port, head.encode()
        self.sources = [f"{first_octets[0]}.{first_octets[1]}.{first_octets[2] + n // 250}.{1 + n % 250}" for n in range(addresses)]
        self.per_address = per_address
        self.sockets = {}  # slot -> socket
        self.answers = {}  # first line of each answer -> count
        self.reconnects = 0
        self.peak_open = 0

    def _open(self, slot):
        source = self.sources[slot // self.per_address]
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        connection.bind((source, 0))
        connection.settimeout(5)
        try:
            connection.connect(("127.0.0.1", self.port))
            connection.sendall(self.head)
        except OSError:
            connection.close()
            return
        connection.setblocking(False)
        self.sockets[slot] = connection

    def open_all(self):
        for slot in range(len(self.sources) * self.per_address):
            self._open(slot)
            if slot % 500 == 499:
                time.sleep(0.05)
        self.peak_open = max(self.peak_open, len(self.sockets))

    def drip(self):
        """One byte on every open connection; a closed one is read for its answer and opened again."""
        for slot, connection in list(self.sockets.items()):
            try:
                answer = connection.recv(4096)
                closed = not answer
            except BlockingIOError:
                answer, closed = b"", False
            except OSError:
                answer, closed = b"", True
            if answer:
                line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
                self.answers[line] = self.answers.get(line, 0) + 1
                # An interim 100 Continue asks for the body: go on dripping. Any other answer ends the request.
                closed = not (line.startswith("HTTP/1.1 100 ") and answer.endswith(b"\r\n\r\n"))
            if not closed:
                try:
                    connection.send(b"x")
                    continue
                except OSError:
                    pass
            connection.close()
            del self.sockets[slot]
            self.reconnects += 1
            self._open(slot)
        self.peak_open = max(self.peak_open, len(self.sockets))

    def close(self):
        for connection in self.sockets.values():
            connection.close()
        self.sockets.clear()


def flood(pid, port, head, addresses, per_address, seconds, first_octets=(127, 0, 6)):
    """Runs the flood for `seconds`; returns the peak threads and RSS seen, the peak of open connections, and answers."""
    attack = SlowBodies(port, head, addresses, per_address, first_octets)
    threads, rss = process_status(pid)
    peak = {"threads": threads, "rss": rss}

    def sample():
        threads, rss = process_status(pid)
        peak["threads"], peak["rss"] = max(peak["threads"], threads), max(peak["rss"], rss)

    attack.open_all()
    sample()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        attack.drip()
        for _ in range(4):
            sample()
            time.sleep(0.5)
    sample()
    attack.close()
    return {**peak, "open": attack.peak_open, "reconnects": attack.reconnects, "answers": attack.answers}


def flood_apart(pid, port, head, addresses, per_address, seconds, first_octets=(127, 0, 6)):
    """`flood` in a process of its own at a lower priority (nice 10): an attacker's CPU is on other machines, so on
    this shared 2-core one the flood must not take the cores that the server and its other clients need to answer.
    The flood still gets every cycle the server leaves idle, which is all it needs to hold its connections."""
    import os
    import subprocess
    arguments = json.dumps([pid, port, head, addresses, per_address, seconds, list(first_octets)])
    child = subprocess.run([sys.executable, __file__, "--json"], input=arguments, capture_output=True, text=True,
                           timeout=seconds + 120, preexec_fn=lambda: os.nice(10), check=True)
    return json.loads(child.stdout)


if __name__ == "__main__":
    if sys.argv[1:] == ["--json"]:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        pid, port, head, addresses, per_address, seconds, first_octets = json.load(sys.stdin)
        print(json.dumps(flood(pid, port, head, addresses, per_address, seconds, tuple(first_octets))))
    else:
        pid, port, head, addresses, per_address, seconds = sys.argv[1:7]
        print(json.dumps(flood(int(pid), int(port), head.encode().decode("unicode_escape"), int(addresses), int(per_address), float(seconds))))
