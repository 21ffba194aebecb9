"""`dropgate upload` against a running gateway: single PUTs, parallel multipart, errors."""
import os
import subprocess

import pytest
import requests

from gateway_fixtures import Gateway


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path)
    yield running
    running.stop()


def download(gateway, link):
    share_id = link.rsplit("/", 1)[1]
    location = requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).headers["Location"]
    return requests.get(location).content


def test_uploads_print_share_links_as_the_last_lines(dropgate_bin, gateway, tmp_path):
    small = tmp_path / "notes.txt"
    small.write_bytes(b"small file\n")
    big = tmp_path / "video.mp4"
    # An MP4's first box (ftyp), then noise: over the 6 MiB threshold, four parallel parts.
    big.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(17 * 1024 * 1024))
    result = subprocess.run([dropgate_bin, "upload", str(small), str(big), "--gateway", gateway.url, "--expires", "2d"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # Each line names its file: the link, two spaces, the file's name.
    assert [line.split("  ", 1)[1] for line in lines] == [small.name, big.name]
    links = [line.split("  ", 1)[0] for line in lines]
    assert len(links) == 2 and all(link.startswith(f"http://localhost:{gateway.port}/s/") for link in links)
    assert download(gateway, links[0]) == small.read_bytes()
    assert download(gateway, links[1]) == big.read_bytes()
    facts = requests.get(f"{gateway.url}/api/shares/{links[1].rsplit('/', 1)[1]}").json()
    assert facts["contentType"] == "video/mp4" and facts["size"] == big.stat().st_size


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
    (["http://localhost:1/s/short"], "is not a share link"),
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
