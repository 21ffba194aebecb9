"""Optional virus scanning with a real clamd (INSTREAM), the signature database written by the test."""
import json
import os
import subprocess

import requests

from conftest import ROOT, free_port
from gateway_fixtures import Gateway


def put_and_complete(gateway, name, data):
    plan = gateway.create(filename=name, size=len(data), contentType="application/octet-stream").json()
    headers = {key: value for key, value in plan["headers"].items() if key != "Content-Length"}
    assert requests.put(plan["url"], data=data, headers=headers).status_code == 200
    return plan, gateway.complete(plan["id"])


def test_an_infected_upload_is_deleted_and_a_clean_one_shared(dropgate_bin, clamd, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, uploads={"scan": {"clamd": clamd["address"]}})
    try:
        _, clean = put_and_complete(gateway, "clean.bin", os.urandom(200_000))
        assert clean.status_code == 201, clean.text
        plan, infected = put_and_complete(gateway, "report.bin", clamd["infected"])
        assert infected.status_code == 422, infected.text
        error = infected.json()["error"]
        assert error["code"] == "infected" and clamd["signature"] in error["message"]
        store = gateway.store_client()
        assert store.list_objects_v2(Bucket="dropgate", Prefix="shared/")["KeyCount"] == 1  # only the clean one
        assert gateway.complete(plan["id"]).status_code == 422  # and the infected one is gone
    finally:
        gateway.stop()


def test_a_scanner_that_is_down_keeps_the_upload_for_a_retry_unless_fail_open(dropgate_bin, clamd, tmp_path):
    dead = f"tcp://127.0.0.1:{free_port()}"
    (tmp_path / "closed").mkdir()
    closed = Gateway(dropgate_bin, tmp_path / "closed", uploads={"scan": {"clamd": dead}})
    try:
        plan, refused = put_and_complete(closed, "later.bin", b"clean bytes, scanner down")
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "scanner_unavailable", refused.text
        assert closed.store_client().list_objects_v2(Bucket="dropgate", Prefix="shared/")["KeyCount"] == 1  # kept for a retry
    finally:
        closed.stop()
    (tmp_path / "open").mkdir()
    opened = Gateway(dropgate_bin, tmp_path / "open", uploads={"scan": {"clamd": dead, "failOpen": True}})
    try:
        _, shared = put_and_complete(opened, "now.bin", b"clean bytes, fail open")
        assert shared.status_code == 201, shared.text
    finally:
        opened.stop()


def test_doctor_checks_the_scanner(dropgate_bin, clamd, tmp_path):
    for address, mark in [(clamd["address"], "✓ virus scanner"), (f"tcp://127.0.0.1:{free_port()}", "✗ virus scanner")]:
        settings = {"gateway": {"publicURL": f"http://localhost:{free_port()}"}, "uploads": {"scan": {"clamd": address}},
                    "storage": {"port": free_port(), "accessKeyId": "k", "secretAccessKey": "s", "dataDirectory": str(tmp_path / "data")}}
        path = tmp_path / "settings.json"
        path.write_text(json.dumps(settings))
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
        result = subprocess.run([dropgate_bin, "doctor", "--settings", str(path)], env=clean, capture_output=True, text=True, timeout=60)
        assert mark in result.stdout, result.stdout


def upload_with_cli(dropgate_bin, gateway, path, tmp_path):
    env = {**os.environ, "DROPGATE_SHARES_FILE": str(tmp_path / "shares.json"), "DROPGATE_UPLOADS_FILE": str(tmp_path / "uploads.json")}
    return subprocess.run([dropgate_bin, "upload", str(path), "--gateway", gateway.url], capture_output=True, text=True, timeout=180, env=env)


def test_a_file_larger_than_the_scanner_takes_is_refused_even_failing_open(dropgate_bin, clamd, tmp_path):
    """Issue 27, item 10: a 40 MB file against the default bound (clamd's default StreamMaxLength, 25 MiB) is refused
    with 413 too_large_to_scan, failOpen or not; with the bound raised to what this clamd takes (64M), it is scanned
    and shared."""
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(40 * 1000 * 1000))
    (tmp_path / "default").mkdir()
    default = Gateway(dropgate_bin, tmp_path / "default", uploads={"scan": {"clamd": clamd["address"], "failOpen": True}})
    try:
        refused = default.create(filename="big.bin", size=big.stat().st_size, contentType="application/octet-stream")
        assert refused.status_code == 413 and refused.json()["error"]["code"] == "too_large_to_scan", refused.text
        assert "takes files up to 25 MiB" in refused.json()["error"]["message"]
        result = upload_with_cli(dropgate_bin, default, big, tmp_path / "default")
        assert result.returncode == 1 and "too large" not in result.stdout and "scans every file" in result.stderr, result.stderr
    finally:
        default.stop()
    (tmp_path / "raised").mkdir()
    raised = Gateway(dropgate_bin, tmp_path / "raised", uploads={"scan": {"clamd": clamd["address"], "maxBytes": 48 * 1024 * 1024}})
    try:
        result = upload_with_cli(dropgate_bin, raised, big, tmp_path / "raised")
        assert result.returncode == 0, result.stderr
        link = result.stdout.split("  ")[0]
        assert requests.get(link.replace("localhost", "127.0.0.1") + "/raw", allow_redirects=False).status_code == 302
    finally:
        raised.stop()


def test_serve_and_doctor_refuse_a_bound_clamd_does_not_take(dropgate_bin, clamd, tmp_path):
    """This clamd takes 64M: a bound of 100 MiB stops `serve` at once with words naming both, and fails doctor."""
    settings = {"gateway": {"port": free_port(), "publicURL": f"http://localhost:{free_port()}"},
                "uploads": {"scan": {"clamd": clamd["address"], "maxBytes": 100 * 1024 * 1024}},
                "storage": {"port": free_port(), "accessKeyId": "k", "secretAccessKey": "s", "dataDirectory": str(tmp_path / "data")},
                "metrics": {"port": 0}}
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(settings))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    serve = subprocess.run([dropgate_bin, "serve", "--settings", str(path), "--web", str(ROOT / "web")], env=clean, capture_output=True,
                           text=True, timeout=60)
    assert serve.returncode != 0 and "StreamMaxLength" in serve.stderr and "uploads.scan.maxBytes" in serve.stderr, serve.stderr
    doctor = subprocess.run([dropgate_bin, "doctor", "--settings", str(path)], env=clean, capture_output=True, text=True, timeout=60)
    assert "✗ virus scanner: clamd at" in doctor.stdout and "Raise StreamMaxLength" in doctor.stdout, doctor.stdout
