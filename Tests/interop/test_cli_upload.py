"""`dropgate upload` against a running gateway: single PUTs, parallel multipart, errors."""
import base64
import collections
import json
import os
import re
import subprocess
import time

import pytest
import requests

from gateway_fixtures import Gateway, gateway_on
from terminal import typed_at_prompt


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path)
    yield running
    running.stop()


@pytest.fixture(params=["embedded", "rgw"])
def any_gateway(request, dropgate_bin, tmp_path):
    """A gateway on the embedded store, then on Ceph RGW."""
    running = gateway_on(request, dropgate_bin, tmp_path)
    yield running
    running.stop()


def download(gateway, link, number=None):
    share_id = link.rsplit("/", 1)[1]
    path = f"/s/{share_id}/raw" if number is None else f"/s/{share_id}/{number}/raw"
    location = requests.get(f"{gateway.url}{path}", allow_redirects=False).headers["Location"]
    return requests.get(location).content


def cli_env(tmp_path):
    """The CLI's environment with its kept shares and unfinished uploads in the test's folder."""
    return {**os.environ, "DROPGATE_SHARES_FILE": str(tmp_path / "shares.json"), "DROPGATE_UPLOADS_FILE": str(tmp_path / "uploads.json")}


def part_puts(gateway):
    """How many times the embedded store answered 200 to each part number's PUT (from its log)."""
    counts = collections.Counter()
    for match in re.finditer(r"store PUT /dropgate/uploads/\S+\?partNumber=(\d+)&\S* 200 ", gateway.log.read_text()):
        counts[int(match.group(1))] += 1
    return counts


def test_files_uploaded_together_share_one_link_that_names_them(dropgate_bin, any_gateway, tmp_path):
    gateway = any_gateway
    small = tmp_path / "notes.txt"
    small.write_bytes(b"small file\n")
    big = tmp_path / "video.mp4"
    # An MP4's first box (ftyp), then noise: over the 6 MiB threshold, four parallel parts.
    big.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(17 * 1024 * 1024))
    result = subprocess.run([dropgate_bin, "upload", str(small), str(big), "--gateway", gateway.url, "--expires", "2d"],
                            capture_output=True, text=True, timeout=120, env=cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # One line: the link, two spaces, the files' names.
    assert len(lines) == 1 and lines[0].split("  ", 1)[1] == "notes.txt, video.mp4"
    link = lines[0].split("  ", 1)[0]
    assert link.startswith(f"http://localhost:{gateway.port}/s/")
    share_id = link.rsplit("/", 1)[1]
    facts = requests.get(f"{gateway.url}/api/shares/{share_id}").json()
    assert [f["filename"] for f in facts["files"]] == ["notes.txt", "video.mp4"]
    assert facts["files"][1]["contentType"] == "video/mp4" and facts["files"][1]["size"] == big.stat().st_size
    assert download(gateway, link) == small.read_bytes()
    assert download(gateway, link, 2) == big.read_bytes()


def test_separate_gives_each_file_its_own_named_link(dropgate_bin, any_gateway, tmp_path):
    gateway = any_gateway
    names = ["a.txt", "b.txt"]
    for name in names:
        (tmp_path / name).write_text(f"contents of {name}")
    result = subprocess.run([dropgate_bin, "upload", *[str(tmp_path / n) for n in names], "--separate", "--gateway", gateway.url],
                            capture_output=True, text=True, timeout=60, env=cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == names
    for line, name in zip(lines, names):
        assert download(gateway, line.split("  ", 1)[0]) == f"contents of {name}".encode()


def test_a_password_given_or_prompted_guards_the_share(dropgate_bin, any_gateway, tmp_path):
    gateway = any_gateway
    file = tmp_path / "secret.txt"
    file.write_text("behind a password")
    given = subprocess.run([dropgate_bin, "upload", str(file), "--password", "pw one", "--max-downloads", "3", "--gateway", gateway.url],
                           capture_output=True, text=True, timeout=60, env=cli_env(tmp_path))
    assert given.returncode == 0, given.stderr
    link = given.stdout.split("  ")[0].replace("http://localhost", "http://127.0.0.1")
    assert 'type="password"' in requests.get(link).text and "secret.txt" not in requests.get(link).text
    session = requests.Session()
    assert session.post(f"{link}/unlock", data={"password": "pw one"}, allow_redirects=False).status_code == 303
    assert "secret.txt" in session.get(link).text and "0 of 3" in session.get(link).text
    other = tmp_path / "other.txt"
    other.write_text("prompted")
    code, said = typed_at_prompt([dropgate_bin, "upload", str(other), "--password-prompt", "--gateway", gateway.url], cli_env(tmp_path),
                                 b"typed secret", prompt=b"Password for the share")
    assert code == 0, said
    assert b"typed secret" not in said  # not echoed
    prompted = re.search(rb"(http://localhost:\d+/s/\S+)  other.txt", said).group(1).decode().replace("http://localhost", "http://127.0.0.1")
    session = requests.Session()
    assert session.post(f"{prompted}/unlock", data={"password": "typed secret"}, allow_redirects=False).status_code == 303


def test_an_interrupted_upload_continues_where_it_stopped(dropgate_bin, any_gateway, tmp_path):
    gateway = any_gateway
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(12 * 5 * 1024 * 1024 - 12345))  # 12 parts, under the fixture's 64 MiB
    env = cli_env(tmp_path)
    command = [dropgate_bin, "upload", str(big), "--gateway", gateway.url]
    if gateway.kind == "embedded":
        count = lambda: len(part_puts(gateway))  # noqa: E731
    else:  # the parts RGW has of the one upload in progress under this file's name
        store, bucket = gateway.store_client(), gateway.settings["storage"]["bucket"]

        def count():
            uploads = [u for u in store.list_multipart_uploads(Bucket=bucket).get("Uploads", []) if u["Key"].endswith("/big.bin")
                       and u["Initiated"].timestamp() > started - 5]
            return sum(len(store.list_parts(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"]).get("Parts", [])) for u in uploads)
    started = time.time()
    first = subprocess.Popen(command + ["--parallel", "1", "--limit-rate", "20M"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and count() < 4:
        time.sleep(0.05)
    first.kill()
    first.wait()
    before = count()
    assert 4 <= before < 12, before
    second = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert second.returncode == 0, second.stderr
    assert f"resuming big.bin: {before} of 12 parts are uploaded already" in second.stderr
    if gateway.kind == "embedded":
        after = part_puts(gateway)
        assert sorted(after) == list(range(1, 13)) and set(after.values()) == {1}, after  # no part was sent twice
    assert download(gateway, second.stdout.split("  ")[0]) == big.read_bytes()
    assert "big.bin" not in (tmp_path / "uploads.json").read_text()  # forgotten once done


def test_a_refused_file_is_reported_and_the_others_still_upload(dropgate_bin, gateway, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>no</p>")
    fine = tmp_path / "fine.txt"
    fine.write_text("fine")
    result = subprocess.run([dropgate_bin, "upload", str(page), str(fine), "--gateway", gateway.url, "--content-type", "text/html"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "not accepted" in result.stderr
    retry = subprocess.run([dropgate_bin, "upload", str(fine), "--gateway", gateway.url], capture_output=True, text=True, timeout=60)
    assert retry.returncode == 0 and retry.stdout.strip().startswith("http://localhost:")


@pytest.mark.parametrize("args,needle", [
    (["--gateway", "ftp://x"], "http"),
    (["--expires", "soon"], "--expires"),
    (["--max-downloads", "0"], "--max-downloads"),
    (["--limit-rate", "fast"], "--limit-rate"),
    (["--password", "a", "--password-prompt"], "choose one"),
])
def test_bad_options_exit_with_status_2(dropgate_bin, tmp_path, args, needle):
    file = tmp_path / "f.txt"
    file.write_text("x")
    result = subprocess.run([dropgate_bin, "upload", str(file), *args], capture_output=True, text=True)
    assert result.returncode == 2 and needle in result.stderr


def test_an_unreachable_gateway_is_a_clear_error(dropgate_bin, tmp_path):
    from conftest import free_port
    file = tmp_path / "f.txt"
    file.write_text("x")
    result = subprocess.run([dropgate_bin, "upload", str(file), "--gateway", f"http://127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "Cannot reach" in result.stderr


def test_revoke_uses_the_delete_token_upload_kept(dropgate_bin, gateway, tmp_path):
    shares = tmp_path / "my-shares.json"
    env = {**os.environ, "DROPGATE_SHARES_FILE": str(shares)}
    file = tmp_path / "gone.txt"
    file.write_text("soon gone")
    uploaded = subprocess.run([dropgate_bin, "upload", str(file), "--gateway", gateway.url], capture_output=True, text=True, timeout=60, env=env)
    assert uploaded.returncode == 0, uploaded.stderr
    link = uploaded.stdout.strip().split("  ")[0]
    assert oct(shares.stat().st_mode & 0o777) == "0o600" and link in shares.read_text()
    page = link.replace("http://localhost", "http://127.0.0.1")
    assert requests.get(page).status_code == 200
    revoked = subprocess.run([dropgate_bin, "revoke", link], capture_output=True, text=True, timeout=60, env=env)
    assert revoked.returncode == 0 and revoked.stdout.strip() == f"revoked {link}", revoked.stderr
    assert requests.get(page).status_code == 410
    assert link not in shares.read_text()
    again = subprocess.run([dropgate_bin, "revoke", link], capture_output=True, text=True, timeout=60, env=env)
    assert again.returncode == 2 and "No delete token for" in again.stderr and len(again.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,needle", [
    (["ftp://x/s/AAAAAAAAAAAAAAAAAAAAAA"], "is not a share link"),
    (["http://localhost:1/s/not_a-link"], "is not a share link"),  # neither a random id nor a readable name
    (["http://a/s/AAAAAAAAAAAAAAAAAAAAAA", "http://a/s/BBBBBBBBBBBBBBBBBBBBBB", "--token", "t"], "--token goes with exactly one link"),
])
def test_revoke_refuses_what_is_not_a_share_link(dropgate_bin, tmp_path, args, needle):
    result = subprocess.run([dropgate_bin, "revoke", *args], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "DROPGATE_SHARES_FILE": str(tmp_path / "s.json")})
    assert result.returncode == 2 and needle in result.stderr


def test_a_wrong_token_is_refused_in_the_gateways_words(dropgate_bin, gateway, tmp_path):
    file = tmp_path / "kept.txt"
    file.write_text("kept")
    link = subprocess.run([dropgate_bin, "upload", str(file), "--gateway", gateway.url], capture_output=True, text=True,
                          timeout=60).stdout.strip().split("  ")[0]
    result = subprocess.run([dropgate_bin, "revoke", link, "--token", "not-the-token"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "delete token" in result.stderr
    assert requests.get(link.replace("http://localhost", "http://127.0.0.1")).status_code == 200


@pytest.mark.parametrize("edit", [True, False], ids=["edited", "unchanged"])
def test_an_encrypted_resume_never_reuses_a_nonce_for_other_bytes(dropgate_bin, gateway, tmp_path, edit):
    """Issue 27, item 4: killed mid-upload, then run again. Edited in place (same size, mtime restored), the file is
    sealed under a fresh prefix (no nonce seals two plaintexts), the first run's multipart upload is aborted, the killed
    run's sealed temporary file removed, and the download is exactly the edited file. Unchanged, the same bytes are
    sealed under the same prefix and the upload resumes from the parts the store has, none sent twice."""
    big = tmp_path / "big.bin"
    original = os.urandom(12 * 5 * 1024 * 1024 - 12345)
    big.write_bytes(original)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**cli_env(tmp_path), "TMPDIR": str(temporary)}
    command = [dropgate_bin, "upload", "--encrypt", str(big), "--gateway", gateway.url]
    first = subprocess.Popen(command + ["--parallel", "1", "--limit-rate", "20M"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(part_puts(gateway)) < 4:
        time.sleep(0.05)
    first.kill()
    first.wait()
    assert len(part_puts(gateway)) >= 4
    journal = json.loads((tmp_path / "uploads.json").read_text())
    (kept,) = journal.values()
    left = [name for name in os.listdir(temporary) if name.startswith("dropgate-sealed-")]
    assert left  # the killed run's sealed copy of the file
    stat = os.stat(big)
    edited = bytearray(original)
    if edit:
        edited[1_000_000:1_000_016] = b"edited in place!"
        big.write_bytes(bytes(edited))
        os.utime(big, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    assert second.returncode == 0, second.stderr
    assert ("resuming" in second.stderr) != edit
    assert not set(left) & set(os.listdir(temporary))
    if not edit:
        assert set(part_puts(gateway).values()) == {1}  # no part was sent twice
    link = second.stdout.split("  ")[0]
    share_id = link.split("/s/")[1].split("#")[0]
    store, bucket = gateway.store_client(), gateway.settings["storage"]["bucket"]
    record = json.loads(store.get_object(Bucket=bucket, Key=f".dropgate/shares/{share_id}.json")["Body"].read())
    header = store.get_object(Bucket=bucket, Key=record["files"][1]["key"], Range="bytes=0-15")["Body"].read()
    first_prefix = base64.urlsafe_b64decode(kept["sealing"]["prefix"] + "==")
    assert (header[9:16] != first_prefix) == edit  # a fresh nonce prefix for edited bytes, the same for the same
    assert store.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []  # the first run's upload was aborted
    out = tmp_path / "out"
    got = subprocess.run([dropgate_bin, "download", link, "-o", str(out) + "/"], capture_output=True, text=True, timeout=180, env=env)
    assert got.returncode == 0, got.stderr
    assert (out / "big.bin").read_bytes() == bytes(edited)
