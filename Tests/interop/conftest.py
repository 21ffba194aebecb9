"""Shared fixtures for the interop tests: the built `dropgate` binary and real peers (Ceph RGW)."""
import os
import pathlib
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# `dropgate upload` keeps delete tokens in a file of the user's; the tests keep theirs in a folder of their own.
os.environ.setdefault("DROPGATE_SHARES_FILE", os.path.join(tempfile.mkdtemp(prefix="dropgate-test-shares-"), "shares.json"))


def finished_downloads(folder) -> list:
    """The names of the downloads Chromium finished in `folder`, sorted: not its partial files (`*.crdownload`), nor
    the hidden temporary file (`.org.chromium.Chromium.*`) it writes before it names a download."""
    return sorted(name for name in os.listdir(folder) if not name.endswith(".crdownload") and not name.startswith("."))


def free_port() -> int:
    """A free loopback TCP port, and a free one 10000 above it (RGW's monitor needs that one too)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port > 55535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair found")


@pytest.fixture(scope="session")
def dropgate_bin() -> str:
    """The `dropgate` executable: $DROPGATE_BIN, or the debug build (built if missing)."""
    if os.environ.get("DROPGATE_BIN"):
        return os.environ["DROPGATE_BIN"]
    subprocess.run(["swift", "build", "--product", "dropgate"], cwd=ROOT, check=True)
    bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_dir, "dropgate")


@pytest.fixture(scope="session")
def dropgate_release_bin() -> str:
    """The release build of `dropgate`, for the tests that measure what a deployment promises under attack (threads,
    memory, another client's p99): $DROPGATE_RELEASE_BIN, or built here if missing. A debug build runs the same code
    some ten times slower, so its latencies say nothing about a deployment."""
    if os.environ.get("DROPGATE_RELEASE_BIN"):
        return os.environ["DROPGATE_RELEASE_BIN"]
    subprocess.run(["swift", "build", "-c", "release", "--product", "dropgate"], cwd=ROOT, check=True)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.strip()
    return os.path.join(bin_dir, "dropgate")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "alone: measures time, CPU or another client's latency, so it runs after the others, with the machine to "
        "itself (scripts/test.sh runs the rest two at a time)")


def _rgw_values(env: dict) -> dict:
    values = {
        "endpoint": env["S3PEER_ENDPOINT"],
        "access_key": env["S3PEER_ACCESS_KEY"],
        "secret_key": env["S3PEER_SECRET_KEY"],
        "bucket": env["S3PEER_BUCKET"],
        "region": env.get("S3PEER_REGION", "us-east-1"),
    }
    # Tests run two at a time (pytest-xdist) each get a bucket of their own, so one listing the bucket sees only its own.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        import boto3
        from botocore.config import Config
        values["bucket"] = f"{values['bucket']}-{worker}"
        client = boto3.client("s3", endpoint_url=values["endpoint"], aws_access_key_id=values["access_key"],
                              aws_secret_access_key=values["secret_key"], region_name=values["region"],
                              config=Config(s3={"addressing_style": "path"}))
        try:
            client.create_bucket(Bucket=values["bucket"])
        except client.exceptions.BucketAlreadyOwnedByYou:
            pass
    return values


@pytest.fixture(scope="session")
def rgw():
    """A real Ceph RGW S3 server: the one `make test` started ($S3PEER_*), or one started here by scripts/rgw.sh."""
    if os.environ.get("S3PEER_ENDPOINT"):
        yield _rgw_values(os.environ)
        return
    port = free_port()
    script = ROOT / "scripts" / "rgw.sh"
    result = subprocess.run(["bash", str(script), "start", str(port)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"scripts/rgw.sh start failed:\n{result.stderr[-4000:]}")
    try:
        env_file = pathlib.Path(f"/tmp/dropgate-rgw-{port}/env")
        values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
        yield _rgw_values(values)
    finally:
        subprocess.run(["bash", str(script), "stop", str(port)], capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def store_and_rgw(dropgate_bin, rgw, tmp_path_factory):
    """The embedded store and Ceph RGW as two `Peer`s on a bucket of the same name, for tests that run on both."""
    from s3_peers import Peer
    from store_fixtures import ACCESS_KEY, SECRET_KEY, Store
    store = Store(dropgate_bin, tmp_path_factory.mktemp("peer-store"), buckets=(rgw["bucket"],))
    yield {"store": Peer("store", store.endpoint, ACCESS_KEY, SECRET_KEY, rgw["bucket"]),
           "rgw": Peer("rgw", rgw["endpoint"], rgw["access_key"], rgw["secret_key"], rgw["bucket"])}
    store.stop()


CLAMD_TEST_FILE = b"Dropgate test file that the test's own clamd signature calls infected.\n" * 3


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A real clamd on a free loopback port, with a signature database this fixture writes (sigtool --md5):
    no signature is downloaded. Yields its address and the bytes it calls infected."""
    folder = tmp_path_factory.mktemp("clamd")
    database = folder / "db"
    database.mkdir()
    sample = folder / "dropgate-test-virus.bin"
    sample.write_bytes(CLAMD_TEST_FILE)
    signature = subprocess.run(["sigtool", "--md5", str(sample)], capture_output=True, text=True, check=True).stdout
    (database / "dropgate-test.hdb").write_text(signature)
    port = free_port()
    config = folder / "clamd.conf"
    config.write_text(f"Foreground yes\nDatabaseDirectory {database}\nTCPSocket {port}\nTCPAddr 127.0.0.1\n"
                      f"LogFile {folder}/clamd.log\nPidFile {folder}/clamd.pid\nTemporaryDirectory {folder}\nStreamMaxLength 64M\n")
    process = subprocess.Popen(["clamd", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"zPING\0")
                    if connection.recv(16).startswith(b"PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"clamd did not start: {process.stderr.read().decode()[-2000:]} {(folder / 'clamd.log').read_text()[-2000:] if (folder / 'clamd.log').exists() else ''}")
            time.sleep(0.2)
        yield {"address": f"tcp://127.0.0.1:{port}", "infected": CLAMD_TEST_FILE, "signature": sample.name}
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def smtp():
    """A real SMTP server on loopback (aiosmtpd) that keeps every message (see smtp_server.py)."""
    from smtp_server import SMTPServer
    server = SMTPServer()
    yield server
    server.stop()
