"""End-to-end encrypted shares (issue 17) in headless Chromium and through the CLI, on the embedded store and on Ceph
RGW: the page seals every file with WebCrypto before upload, the key travels only in the link's fragment, the store
holds ciphertext of the exact sealed size, and a fresh browser with the link sees the file, one without the key sees
nothing, and one changed byte gives the tamper error."""
import json
import os
import pathlib
import re
import subprocess

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT
from gateway_fixtures import Gateway, rgw_storage
from test_browser import png
from test_browser_sharing import browser, chromium, share_link  # noqa: F401  (the Chromium fixture)


@pytest.fixture(params=["embedded", "rgw"])
def gateway(request, dropgate_bin, tmp_path):
    storage = rgw_storage(request.getfixturevalue("rgw")) if request.param == "rgw" else None
    running = Gateway(dropgate_bin, tmp_path, storage=storage, uploads={"maxBytes": 256 * 1024 * 1024})
    running.kind = request.param
    if request.param == "rgw":
        running.fix_store()
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
    assert "#" not in link  # with a password the link carries no key
    share_id = link.split("/s/")[1]
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
