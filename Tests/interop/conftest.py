"""Shared fixtures for the interop tests: the built `dropgate` binary and real peers (Ceph RGW)."""
import os
import pathlib
import socket
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("DROPGATE_SHARED", ROOT.parent / "shared"))


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
def rgw():
    """A real Ceph RGW S3 server on a free loopback port ($S3PEER_ENDPOINT reuses a running one)."""
    if os.environ.get("S3PEER_ENDPOINT"):
        yield {
            "endpoint": os.environ["S3PEER_ENDPOINT"],
            "access_key": os.environ.get("S3PEER_ACCESS_KEY", "peerAK"),
            "secret_key": os.environ.get("S3PEER_SECRET_KEY", "peerSK"),
            "bucket": os.environ.get("S3PEER_BUCKET", "peer-bucket"),
            "region": os.environ.get("S3PEER_REGION", "us-east-1"),
        }
        return
    port = free_port()
    start = SHARED / "s3peer" / "start.sh"
    stop = SHARED / "s3peer" / "stop.sh"
    result = subprocess.run(["bash", str(start), str(port)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"s3peer start failed:\n{result.stderr[-4000:]}")
    try:
        yield {
            "endpoint": result.stdout.strip().splitlines()[-1],
            "access_key": "peerAK",
            "secret_key": "peerSK",
            "bucket": "peer-bucket",
            "region": "us-east-1",
        }
    finally:
        subprocess.run(["bash", str(stop), str(port)], capture_output=True, timeout=120)
