"""What a new user meets first: the printed next steps, the curl flow, one type policy, readiness, doctor beside a
running gateway, and one store per data folder."""
import hashlib
import http.client
import json
import os
import shlex
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

from conftest import ROOT, free_port
from gateway_fixtures import Gateway


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path, uploads={"multipartThreshold": 64 * 1024 * 1024})
    yield running
    running.stop()


def printed_lines(gateway):
    """The next steps `serve` printed after its first line (the fixture read that one)."""
    return [line.rstrip("\n") for line in gateway.banner[1:]]


def test_the_printed_curl_upload_works_when_pasted(gateway, tmp_path):
    lines = printed_lines(gateway)
    assert lines[-1] == "Ctrl-C to stop."
    snippet = lines[lines.index("  upload with curl, in the file's folder:") + 1].strip()
    assert snippet.startswith("f=photo.jpg;") and "stat -c %s" in snippet
    readme = (ROOT / "README.md").read_text()
    assert snippet.replace(f"localhost:{gateway.port}", "localhost:5001") in readme  # the README shows what serve prints
    cli = next(line for line in lines if "upload with the CLI:" in line)
    assert "upload photo.jpg --gateway" in cli and any("make install" in line for line in lines)
    folder = tmp_path / "pictures"
    folder.mkdir()
    data = b"\xff\xd8\xff\xe0" + os.urandom(200_000)
    (folder / "photo.jpg").write_bytes(data)
    result = subprocess.run(["bash", "-c", snippet], cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip().splitlines()[-1]
    assert link.startswith(f"http://localhost:{gateway.port}/s/")
    raw = requests.get(link + "/raw", allow_redirects=False)
    assert raw.status_code == 302 and requests.get(raw.headers["Location"]).content == data


@pytest.mark.parametrize("name", ['say "hi".txt', "it's $(touch pwned) `x`.txt", "naïve \\ back.txt"])
def test_the_one_liner_takes_any_name(gateway, tmp_path, name):
    snippet = printed_lines(gateway)[printed_lines(gateway).index("  upload with curl, in the file's folder:") + 1].strip()
    (tmp_path / name).write_bytes(b"named bytes")
    result = subprocess.run(["bash", "-c", snippet.replace("f=photo.jpg;", f"f={shlex.quote(name)};", 1)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip().splitlines()[-1]
    assert requests.get(f"{link.replace('localhost', '127.0.0.1')}").status_code == 200
    facts = requests.get(link.replace("/s/", "/api/shares/").replace("localhost", "127.0.0.1")).json()
    assert facts["filename"] == name and not (tmp_path / "pwned").exists()


def test_the_one_liner_fails_loudly(dropgate_bin, tmp_path):
    small = Gateway(dropgate_bin, tmp_path, uploads={"multipartThreshold": 6 * 1024 * 1024, "allowedTypes": ["text/plain"]})
    try:
        snippet = printed_lines(small)[printed_lines(small).index("  upload with curl, in the file's folder:") + 1].strip()
        big = tmp_path / "big.txt"
        big.write_bytes(b"x" * (7 * 1024 * 1024))
        (tmp_path / "movie.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
        for name, needle in (("big.txt", "use dropgate upload"), ("movie.mp4", "type_not_allowed"), ("missing.txt", "")):
            result = subprocess.run(["bash", "-c", snippet.replace("f=photo.jpg;", f"f={name};", 1)], cwd=tmp_path, capture_output=True,
                                    text=True, timeout=60)
            assert result.returncode != 0, (name, result.stdout, result.stderr)
            assert needle in result.stderr, (name, result.stderr)
            assert "/s/" not in result.stdout
    finally:
        small.stop()


def test_the_shell_command_exits_non_zero_when_the_store_refuses(gateway, tmp_path):
    answer = requests.post(f"{gateway.url}/api/uploads?format=shell", json={"filename": "notes.txt", "size": 5, "contentType": "text/plain"})
    assert answer.status_code == 201 and answer.headers["content-type"].startswith("text/plain")
    command = answer.text
    (tmp_path / "notes.txt").write_text("not five bytes")  # curl sends 14 bytes against a signed Content-Length of 5
    words = shlex.split(command)
    assert "--fail-with-body" in words and words.count("&&") == 1
    result = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "/s/" not in result.stdout  # the completion never ran


def test_shell_format_is_refused_for_plans_one_curl_cannot_carry(gateway):
    answer = requests.post(f"{gateway.url}/api/uploads?format=shell", json={"filename": "a.txt", "size": 3, "mode": "post"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "shell_unavailable"


def test_sha256_is_taken_as_hex_or_base64(gateway):
    data = b"the same digest"
    digest = hashlib.sha256(data)
    hex_plan = gateway.create(filename="a.txt", size=len(data), contentType="text/plain", sha256=digest.hexdigest()).json()
    upper_plan = gateway.create(filename="a.txt", size=len(data), contentType="text/plain", sha256=digest.hexdigest().upper()).json()
    import base64
    b64 = base64.b64encode(digest.digest()).decode()
    assert hex_plan["headers"]["x-amz-checksum-sha256"] == b64 == upper_plan["headers"]["x-amz-checksum-sha256"]
    requests.put(hex_plan["url"], data=data, headers={k: v for k, v in hex_plan["headers"].items() if k != "Content-Length"}).raise_for_status()
    assert gateway.complete(hex_plan["id"]).status_code == 201
    wrong = gateway.create(filename="a.txt", size=1, sha256="g" * 64)
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_sha256"


@pytest.mark.parametrize("filename", ["page.html", "setup.exe"])
def test_the_cli_and_the_api_refuse_the_same_types_in_the_same_words(dropgate_bin, gateway, tmp_path, filename):
    (tmp_path / filename).write_bytes(b"MZ not really" if filename.endswith(".exe") else b"<p>hi</p>")
    cli = subprocess.run([dropgate_bin, "upload", str(tmp_path / filename), "--gateway", gateway.url], capture_output=True, text=True, timeout=60)
    assert cli.returncode == 1
    # curl and browsers that do not know the type declare application/octet-stream: the gateway reads the extension.
    api = gateway.create(filename=filename, size=9, contentType="application/octet-stream")
    assert api.status_code == 415 and api.json()["error"]["code"] == "type_not_allowed"
    message = api.json()["error"]["message"]
    assert "not accepted" in message and message in cli.stderr


def test_an_unknown_extension_stays_octet_stream(gateway):
    plan = gateway.create(filename="data.bin", size=4, contentType="application/octet-stream")
    assert plan.status_code == 201 and plan.json()["headers"]["Content-Type"] == "application/octet-stream"


def test_readyz_follows_the_store_and_healthz_does_not(dropgate_bin, gateway, tmp_path):
    assert requests.get(f"{gateway.url}/readyz").json() == {"status": "ready"}
    dead = free_port()
    storage = {"mode": "external", "endpoint": f"http://127.0.0.1:{dead}", "bucket": "dropgate", "accessKeyId": "k", "secretAccessKey": "s"}
    (tmp_path / "unready").mkdir()
    unready = Gateway(dropgate_bin, tmp_path / "unready", storage=storage)
    try:
        answer = requests.get(f"{unready.url}/readyz")
        assert answer.status_code == 503
        error = answer.json()["error"]
        assert error["code"] == "not_ready" and "unreachable" in error["message"]
        assert requests.get(f"{unready.url}/healthz").status_code == 200
    finally:
        unready.stop()


def test_doctor_beside_a_running_gateway_leaves_an_upload_in_flight_intact(dropgate_bin, gateway, tmp_path):
    size = 20 * 1024 * 1024
    data = os.urandom(size)
    plan = gateway.create(filename="big.bin", size=size, contentType="application/octet-stream").json()
    url = urllib.parse.urlsplit(plan["url"])
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    connection.putrequest("PUT", url.path + "?" + url.query, skip_accept_encoding=True)
    for name, value in plan["headers"].items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(data[: size // 2])  # half the body is in the store's temporary file now
    settings = tmp_path / "settings-test.json"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    doctor = subprocess.run([dropgate_bin, "doctor", "--settings", str(settings)], env=clean, capture_output=True, text=True, timeout=60)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "is running on" in doctor.stdout and "all 9 checks passed" in doctor.stdout
    connection.send(data[size // 2:])
    assert connection.getresponse().status == 200
    assert gateway.complete(plan["id"]).status_code == 201


def test_doctor_with_no_gateway_running_never_opens_the_data_folder(dropgate_bin, tmp_path):
    data = tmp_path / "data"
    settings = {"gateway": {"publicURL": f"http://localhost:{free_port()}"},
                "storage": {"port": free_port(), "accessKeyId": "doctor-key", "secretAccessKey": "doctor-secret", "dataDirectory": str(data)}}
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(settings))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    result = subprocess.run([dropgate_bin, "doctor", "--settings", str(path)], env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "private one on a temporary folder" in result.stdout, result.stdout
    assert not data.exists()


def test_a_second_store_on_the_same_folder_refuses_naming_folder_and_pid(dropgate_bin, gateway, tmp_path):
    folder = gateway.settings["storage"]["dataDirectory"]
    second = subprocess.run([dropgate_bin, "store", "--data", folder, "--port", str(free_port())], capture_output=True, text=True, timeout=30)
    assert second.returncode == 2
    line = second.stderr.strip()
    assert len(line.splitlines()) == 1 and folder in line and str(gateway.process.pid) in line
    assert requests.get(f"{gateway.url}/readyz").status_code == 200
