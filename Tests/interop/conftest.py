"""Shared fixtures for the interop tests: the built `dropgate` binary and real peers (Ceph RGW)."""
import os
import pathlib
import socket
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


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


def _rgw_values(env: dict) -> dict:
    return {
        "endpoint": env["S3PEER_ENDPOINT"],
        "access_key": env["S3PEER_ACCESS_KEY"],
        "secret_key": env["S3PEER_SECRET_KEY"],
        "bucket": env["S3PEER_BUCKET"],
        "region": env.get("S3PEER_REGION", "us-east-1"),
    }


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
