"""Presigned URLs from `dropgate presign` against a real Ceph RGW: uploads and downloads with curl,
and RGW refuses tampered, expired and mismatched requests."""
import datetime
import os
import subprocess

import pytest


def presign(dropgate_bin, rgw, method, key, *extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=rgw["access_key"], AWS_SECRET_ACCESS_KEY=rgw["secret_key"],
        AWS_REGION=rgw["region"], AWS_ENDPOINT_URL_S3=rgw["endpoint"],
    )
    result = subprocess.run(
        [dropgate_bin, "presign", method, f"s3://{rgw['bucket']}/{key}", *extra], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def curl(*args):
    """Runs curl; returns (status, body). `--path-as-is` keeps `/./` and `/../` in keys: curl would squash them."""
    result = subprocess.run(["curl", "-sS", "--path-as-is", "-o", "/dev/stdout", "-w", "\n%{http_code}", "--max-time", "30", *args], capture_output=True)
    body, _, status = result.stdout.rpartition(b"\n")
    return int(status), body


@pytest.mark.parametrize("key", ["plain.bin", "dir/a b+c=d&e.bin", "unicode/ü日本.bin", "x//y/./z/../w.bin"])
def test_put_then_get_round_trips_the_bytes(dropgate_bin, rgw, tmp_path, key):
    payload = os.urandom(256 * 1024) + key.encode()
    source = tmp_path / "upload.bin"
    source.write_bytes(payload)
    put_url = presign(dropgate_bin, rgw, "put", key, "--content-type", "application/octet-stream", "--expires", "300")
    status, body = curl("-T", str(source), "-H", "Content-Type: application/octet-stream", put_url)
    assert status == 200, body
    status, body = curl(presign(dropgate_bin, rgw, "get", key))
    assert status == 200
    assert body == payload
    status, _ = curl("-I", presign(dropgate_bin, rgw, "head", key))
    assert status == 200
    status, _ = curl("-X", "DELETE", presign(dropgate_bin, rgw, "delete", key))
    assert status == 204
    status, _ = curl(presign(dropgate_bin, rgw, "get", key))
    assert status == 404


def test_rgw_refuses_a_tampered_signature(dropgate_bin, rgw):
    url = presign(dropgate_bin, rgw, "get", "tampered.txt")
    signature = url[-64:]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    status, body = curl(url[:-64] + flipped)
    assert status == 403
    assert b"SignatureDoesNotMatch" in body


def test_rgw_refuses_a_url_for_another_key(dropgate_bin, rgw):
    url = presign(dropgate_bin, rgw, "get", "one.txt")
    status, body = curl(url.replace("/one.txt?", "/two.txt?"))
    assert status == 403
    assert b"SignatureDoesNotMatch" in body


def test_rgw_refuses_an_expired_url(dropgate_bin, rgw):
    past = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")
    url = presign(dropgate_bin, rgw, "get", "expired.txt", "--date", past, "--expires", "60")
    status, body = curl(url)
    assert status == 403
    assert b"AccessDenied" in body


def test_rgw_refuses_a_content_type_other_than_the_signed_one(dropgate_bin, rgw, tmp_path):
    source = tmp_path / "image.png"
    source.write_bytes(b"\x89PNG not really")
    url = presign(dropgate_bin, rgw, "put", "typed.png", "--content-type", "image/png")
    status, body = curl("-T", str(source), "-H", "Content-Type: text/html", url)
    assert status == 403
    assert b"SignatureDoesNotMatch" in body
    status, body = curl("-T", str(source), "-H", "Content-Type: image/png", url)
    assert status == 200, body


def test_rgw_refuses_a_put_url_used_for_delete(dropgate_bin, rgw):
    url = presign(dropgate_bin, rgw, "put", "replay.txt")
    status, body = curl("-X", "DELETE", url)
    assert status == 403
    assert b"SignatureDoesNotMatch" in body
