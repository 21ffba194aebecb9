"""End-to-end encrypted shares (issue 17) in headless Chromium and through the CLI, on the embedded store and on Ceph
RGW: the page seals every file with WebCrypto before upload, the key travels only in the link's fragment, the store
holds ciphertext of the exact sealed size, and a fresh browser with the link sees the file, one without the key sees
nothing, and one changed byte gives the tamper error."""
import json
import os
import re
import struct
import subprocess

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from gateway_fixtures import gateway_on
from test_browser import png
from test_browser_sharing import browser, chromium, share_link  # noqa: F401  (the Chromium fixture)


@pytest.fixture(params=["embedded", "rgw"])
def gateway(request, dropgate_bin, tmp_path):
    running = gateway_on(request, dropgate_bin, tmp_path, for_browsers=True, uploads={"maxBytes": 256 * 1024 * 1024})
    yield running
    running.stop()


def sealed_size(size, record=65536):
    return 16 + size + 16 * max(1, -(-size // record))


def record_of(gateway, share_id):
    store = gateway.store_client()
    bucket = gateway.settings["storage"]["bucket"]
    return json.loads(store.get_object(Bucket=bucket, Key=f".dropgate/shares/{share_id}.json")["Body"].read()), store, bucket


def upload_encrypted(browser, gateway, paths, password=None):
    browser.get(f"http://localhost:{gateway.port}/")
    browser.find_element(By.ID, "encrypt").click()
    if password:
        browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    return share_link(browser, WebDriverWait(browser, 90))


def pixels_ok(driver, width):
    return driver.execute_script(
        "const i = document.querySelector('#e2e-files img'); return i && i.complete && i.naturalWidth === arguments[0]", width)


def test_an_encrypted_image_opens_from_its_link_and_the_store_holds_only_ciphertext(browser, gateway, tmp_path):
    image = tmp_path / "secret photo.png"
    data = png(48, 32)
    image.write_bytes(data)
    link = upload_encrypted(browser, gateway, [image])
    assert re.search(r"/s/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{43}$", link), link
    share_id = link.split("/s/")[1].split("#")[0]
    # A fresh browser, with the whole link.
    other = chromium(tmp_path / "downloads")
    try:
        other.get(link)
        WebDriverWait(other, 30).until(lambda driver: pixels_ok(driver, 48))
        assert other.find_element(By.ID, "title").text == "secret photo.png"
        # The decrypted pixels are the image's: red, as png() draws them.
        red = other.execute_script("""
            const i = document.querySelector('#e2e-files img'); const c = document.createElement('canvas');
            c.width = i.naturalWidth; c.height = i.naturalHeight; const x = c.getContext('2d'); x.drawImage(i, 0, 0);
            return Array.from(x.getImageData(10, 10, 1, 1).data);""")
        assert red == [255, 0, 0, 255]
        # Without the fragment: "Encrypted share" and nothing else.
        other.get(link.split("#")[0])
        WebDriverWait(other, 10).until(lambda driver: "key is not in this link" in driver.find_element(By.ID, "e2e-status").text)
        assert other.find_element(By.ID, "title").text == "Encrypted share"
        assert "secret photo" not in other.page_source and not other.find_elements(By.CSS_SELECTOR, "#e2e-files li")
    finally:
        other.quit()
    record, store, bucket = record_of(gateway, share_id)
    assert record["encrypted"] is True and "secret photo" not in json.dumps(record)
    stored = store.get_object(Bucket=bucket, Key=record["files"][1]["key"])
    body = stored["Body"].read()
    assert len(body) == sealed_size(len(data)) and body[:4] == b"DGE1"
    assert data[:16] not in body and data[100:132] not in body  # no piece of the plaintext is stored
    assert stored["ContentType"] == "application/octet-stream"
    raw = requests.get(f"{gateway.url}/s/{share_id}/2/raw", allow_redirects=False)
    served = requests.get(raw.headers["Location"]) if raw.status_code == 302 else raw
    assert "attachment" in served.headers["Content-Disposition"] and served.headers["Content-Type"] == "application/octet-stream"
    # No key in any log line.
    key = link.split("#k=")[1]
    assert key not in gateway.log.read_text() and "#k=" not in gateway.log.read_text()


def bmp(width, height):
    """A real 24-bit BMP of width x height blue pixels (rows padded to 4 bytes, bottom-up)."""
    row = b"\xff\x00\x00" * width + b"\x00" * (-(3 * width) % 4)
    pixels = row * height
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def test_the_encrypted_page_shows_the_same_types_as_a_plain_share(browser, gateway, tmp_path):
    """The page's script is given the gateway's one list of inline-safe types: a BMP, on that list (and once missing
    from the script's own copy), is shown decrypted as an image; the page names every type the gateway serves inline."""
    image = tmp_path / "scan.bmp"
    image.write_bytes(bmp(20, 10))
    link = upload_encrypted(browser, gateway, [image])
    other = chromium(tmp_path / "downloads")
    try:
        other.get(link)
        WebDriverWait(other, 30).until(lambda driver: pixels_ok(driver, 20))
        listed = other.find_element(By.ID, "e2e").get_attribute("data-inline-types").split(" ")
        assert {"image/bmp", "audio/flac", "video/quicktime", "text/plain"} <= set(listed) and "application/pdf" not in listed
    finally:
        other.quit()


def test_one_flipped_byte_gives_the_tamper_error(browser, gateway, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("a note that must not be changed\n" * 10)
    link = upload_encrypted(browser, gateway, [note])
    share_id = link.split("/s/")[1].split("#")[0]
    record, store, bucket = record_of(gateway, share_id)
    key = record["files"][1]["key"]
    body = bytearray(store.get_object(Bucket=bucket, Key=key)["Body"].read())
    body[40] ^= 0x01
    store.put_object(Bucket=bucket, Key=key, Body=bytes(body), ContentType="application/octet-stream")
    browser.get(link)
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "#e2e-files .file-status")
                                     and "changed" in driver.find_element(By.CSS_SELECTOR, "#e2e-files .file-status").text)
    assert "must not be changed" not in browser.page_source


def test_an_encrypted_collection_with_a_password_opens_only_with_it(browser, gateway, tmp_path):
    first, second = tmp_path / "one.png", tmp_path / "two.txt"
    first.write_bytes(png(20, 10))
    second.write_text("second file, in words")
    link = upload_encrypted(browser, gateway, [first, second], password="open sesame")
    assert link.endswith("#p")  # with a password the link carries no key, only the mark that the share is encrypted
    share_id = link.split("/s/")[1].split("#")[0]
    record, _, _ = record_of(gateway, share_id)
    assert record["keyWrap"]["iterations"] == 600000 and len(record["files"]) == 3
    assert "open sesame" not in json.dumps(record)
    other = chromium(tmp_path / "downloads")
    try:
        other.get(link)
        assert "one.png" not in other.page_source
        other.find_element(By.ID, "password").send_keys("wrong one")
        other.find_element(By.CSS_SELECTOR, "form.unlock button").click()
        WebDriverWait(other, 30).until(lambda driver: "not right" in driver.find_element(By.ID, "password-error").text)
        other.find_element(By.ID, "password").clear()
        other.find_element(By.ID, "password").send_keys("open sesame")
        other.find_element(By.CSS_SELECTOR, "form.unlock button").click()
        WebDriverWait(other, 40).until(lambda driver: pixels_ok(driver, 20))
        names = [e.text for e in other.find_elements(By.CSS_SELECTOR, "#e2e-files .file-name")]
        assert names == ["one.png", "two.txt"]
    finally:
        other.quit()
    assert "open sesame" not in gateway.log.read_text()


RSS = [os.environ.get("PYTHON", "python3"), "-c",
       "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
       "print(r.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(r.stdout, end=''); print(r.stderr, end='', file=sys.stderr)"]


def measured(command, env, cwd=None):
    """Runs a command and returns (exit status, peak RSS in MB, stdout, stderr)."""
    result = subprocess.run(RSS + command, capture_output=True, text=True, timeout=600, env=env, cwd=cwd)
    status, rss, *rest = result.stdout.split("\n", 2)
    return int(status), int(rss) / 1024, rest[0] if rest else "", result.stderr


def cli_env(tmp_path):
    return {**os.environ, "DROPGATE_SHARES_FILE": str(tmp_path / "shares.json"), "DROPGATE_UPLOADS_FILE": str(tmp_path / "uploads.json")}


def test_the_cli_seals_100_mb_and_downloads_it_with_memory_under_64_mb(dropgate_bin, gateway, tmp_path):
    big = tmp_path / "film.bin"
    with open(big, "wb") as out:
        for _ in range(100):
            out.write(os.urandom(1000 * 1000))
    env = cli_env(tmp_path)
    status, upload_rss, stdout, stderr = measured([dropgate_bin, "upload", "--encrypt", str(big), "--gateway", gateway.url], env)
    assert status == 0, stderr
    link, names = stdout.strip().split("  ", 1)
    assert names == "film.bin" and "#k=" in link
    share_id = link.split("/s/")[1].split("#")[0]
    record, store, bucket = record_of(gateway, share_id)
    head = store.head_object(Bucket=bucket, Key=record["files"][1]["key"])
    assert head["ContentLength"] == sealed_size(100 * 1000 * 1000)
    first = store.get_object(Bucket=bucket, Key=record["files"][1]["key"], Range="bytes=0-1048575")["Body"].read()
    with open(big, "rb") as original:
        assert original.read(64) not in first
    out = tmp_path / "out"
    status, download_rss, stdout, stderr = measured([dropgate_bin, "download", link, "-o", str(out) + "/"], env)
    assert status == 0, stderr
    assert stdout.strip() == str(out / "film.bin")
    assert (out / "film.bin").read_bytes() == big.read_bytes()
    print(f"peak RSS of 100 MB end to end: upload {upload_rss:.1f} MB, download {download_rss:.1f} MB")
    assert upload_rss < 64 and download_rss < 64, (upload_rss, download_rss)
    key = link.split("#k=")[1]
    assert key not in gateway.log.read_text() and "#k=" not in gateway.log.read_text()


def test_the_cli_shares_an_encrypted_collection_with_a_password(dropgate_bin, gateway, tmp_path):
    env = cli_env(tmp_path)
    (tmp_path / "a.txt").write_text("first, in words")
    (tmp_path / "b.png").write_bytes(png(5, 5))
    up = subprocess.run([dropgate_bin, "upload", "--encrypt", "--password", "s3cret words", str(tmp_path / "a.txt"), str(tmp_path / "b.png"),
                         "--gateway", gateway.url], capture_output=True, text=True, timeout=120, env=env)
    assert up.returncode == 0, up.stderr
    link = up.stdout.split("  ")[0]
    assert link.endswith("#p")
    wrong = subprocess.run([dropgate_bin, "download", link, "--password", "nope", "-o", str(tmp_path / "x")], capture_output=True, text=True,
                           timeout=120, env=env)
    assert wrong.returncode == 2 and "does not open" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    got = subprocess.run([dropgate_bin, "download", link, "--password", "s3cret words", "-o", str(tmp_path / "got")], capture_output=True,
                         text=True, timeout=120, env=env)
    assert got.returncode == 0, got.stderr
    assert (tmp_path / "got" / "a.txt").read_text() == "first, in words"
    assert (tmp_path / "got" / "b.png").read_bytes() == png(5, 5)
    assert "s3cret" not in gateway.log.read_text()


def test_download_of_a_plain_share_and_its_refusals(dropgate_bin, gateway, tmp_path):
    env = cli_env(tmp_path)
    (tmp_path / "one.txt").write_text("one")
    (tmp_path / "two.txt").write_text("two")
    up = subprocess.run([dropgate_bin, "upload", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"), "--gateway", gateway.url],
                        capture_output=True, text=True, timeout=60, env=env)
    assert up.returncode == 0, up.stderr
    link = up.stdout.split("  ")[0]
    folder = tmp_path / "here"
    folder.mkdir()
    (folder / "one.txt").write_text("mine, not to be overwritten")
    got = subprocess.run([dropgate_bin, "download", link], capture_output=True, text=True, timeout=60, env=env, cwd=folder)
    assert got.returncode == 0, got.stderr
    assert (folder / "one.txt").read_text() == "mine, not to be overwritten"
    assert (folder / "one (2).txt").read_text() == "one" and (folder / "two.txt").read_text() == "two"
    # An encrypted share's link without its key.
    (tmp_path / "s.txt").write_text("sealed")
    sealed = subprocess.run([dropgate_bin, "upload", "--encrypt", str(tmp_path / "s.txt"), "--gateway", gateway.url], capture_output=True,
                            text=True, timeout=60, env=env)
    keyless = sealed.stdout.split("  ")[0].split("#")[0]
    refused = subprocess.run([dropgate_bin, "download", keyless, "-o", str(tmp_path / "k")], capture_output=True, text=True, timeout=60, env=env)
    assert refused.returncode == 2 and "has no key" in refused.stderr
    # The link as printed, key and all, revokes the share; the kept delete tokens hold no key.
    assert "#k=" not in (tmp_path / "shares.json").read_text()
    full = sealed.stdout.split("  ")[0]
    revoked = subprocess.run([dropgate_bin, "revoke", full], capture_output=True, text=True, timeout=60, env=env)
    assert revoked.returncode == 0 and revoked.stdout.strip() == f"revoked {full}", revoked.stderr
    assert requests.get(f"{gateway.url}/s/{keyless.split('/s/')[1]}").status_code == 410
    bad = subprocess.run([dropgate_bin, "download", "ftp://x/s/nope"], capture_output=True, text=True, timeout=30, env=env)
    assert bad.returncode == 2 and "is not a share link" in bad.stderr
