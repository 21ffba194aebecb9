"""rclone and s3cmd, each in its usual flows, against the embedded store and against Ceph RGW 16 (issue 34): a
folder up (with a multipart file), listed, checked, synced, down again byte for byte, and removed."""
import hashlib
import os
import pathlib
import subprocess
import uuid

import pytest


PEERS = pytest.mark.parametrize("name", ["store", "rgw"])


@pytest.fixture(scope="module")
def both(store_and_rgw):
    return store_and_rgw


def make_folder(root):
    """A small tree: text, a name with spaces and non-ASCII, an empty file, and 12 MiB that goes up in parts."""
    files = {"a.txt": b"alpha\n", "sub dir/ünï cødé.txt": "grüße\n".encode(), "empty": b"",
             "big.bin": hashlib.sha256(b"seed").digest() * (12 * 1024 * 1024 // 32)}
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(pathlib.Path(root).rglob("*")) if p.is_file()}


def run(args, env=None):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, f"{args[0]} failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result.stdout


def rclone(peer, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
    env.update(RCLONE_CONFIG_PEER_TYPE="s3", RCLONE_CONFIG_PEER_PROVIDER="Other", RCLONE_CONFIG_PEER_ENDPOINT=peer.endpoint,
               RCLONE_CONFIG_PEER_ACCESS_KEY_ID=peer.access, RCLONE_CONFIG_PEER_SECRET_ACCESS_KEY=peer.secret,
               RCLONE_CONFIG_PEER_REGION="us-east-1", RCLONE_CONFIG_PEER_FORCE_PATH_STYLE="true")
    return run(["rclone", "--config", "/dev/null", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", "--retries", "1",
                "--low-level-retries", "1", *args], env)


@PEERS
def test_rclone_copies_lists_checks_syncs_and_deletes(both, name, tmp_path):
    peer = both[name]
    local = tmp_path / "up"
    files = make_folder(local)
    remote = f"peer:{peer.bucket}/rclone-{uuid.uuid4().hex[:8]}"
    rclone(peer, "copy", str(local), remote)
    listed = dict(line.strip().split(" ", 1)[::-1] for line in rclone(peer, "ls", remote).splitlines())
    assert {k: int(v) for k, v in listed.items()} == {k: len(v) for k, v in files.items()}
    rclone(peer, "check", str(local), remote)  # sizes and hashes (MD5 from ETags, the multipart one from metadata)
    (local / "a.txt").write_bytes(b"changed\n")
    (local / "empty").unlink()
    rclone(peer, "sync", str(local), remote)
    rclone(peer, "copy", remote, str(tmp_path / "down"))
    assert tree(tmp_path / "down") == tree(local)
    rclone(peer, "purge", remote)
    assert rclone(peer, "ls", remote).strip() == ""


def s3cmd(peer, config, *args):
    return run(["s3cmd", "--config", str(config), "--no-progress", *args])


@PEERS
@pytest.mark.parametrize("signature", ["v4", "v2"])
def test_s3cmd_puts_lists_syncs_gets_and_deletes(both, name, signature, tmp_path):
    peer = both[name]
    config = tmp_path / "s3cfg"
    config.write_text(f"[default]\naccess_key = {peer.access}\nsecret_key = {peer.secret}\nhost_base = {peer.host}\n"
                      f"host_bucket = {peer.host}\nuse_https = False\nbucket_location = us-east-1\n"
                      f"signature_v2 = {signature == 'v2'}\nmultipart_chunk_size_mb = 5\n")
    local = tmp_path / "up"
    files = make_folder(local)
    base = f"s3://{peer.bucket}/s3cmd-{uuid.uuid4().hex[:8]}/"
    s3cmd(peer, config, "put", str(local / "big.bin"), base + "big.bin")  # 12 MiB in 5 MiB parts
    s3cmd(peer, config, "sync", str(local) + "/", base + "tree/")
    listing = s3cmd(peer, config, "ls", "--recursive", base)
    assert all(f"{base}tree/{n}" in listing for n in files) and f"{base}big.bin" in listing
    info = s3cmd(peer, config, "info", base + "tree/a.txt")
    assert hashlib.md5(files["a.txt"]).hexdigest() in info
    s3cmd(peer, config, "get", base + "big.bin", str(tmp_path / "big.down"))
    assert (tmp_path / "big.down").read_bytes() == files["big.bin"]
    s3cmd(peer, config, "sync", base + "tree/", str(tmp_path / "down") + "/")
    assert tree(tmp_path / "down") == tree(local)
    s3cmd(peer, config, "del", "--recursive", "--force", base)
    assert s3cmd(peer, config, "ls", "--recursive", base).strip() == ""
