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
    links = result.stdout.strip().splitlines()
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
