"""The web form in a real browser: headless Chromium driven by Selenium (Debian's chromium-driver)."""
import os
import struct
import time
import zlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

import requests

from conftest import finished_downloads
from gateway_fixtures import Gateway


def png(width, height):
    """A real PNG image of width x height red pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture()
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path)
    yield running
    running.stop()


def test_upload_an_image_and_open_its_share(browser, gateway, tmp_path):
    image = tmp_path / "red square.png"
    image.write_bytes(png(40, 30))
    browser.get(f"http://localhost:{gateway.port}/")
    browser.find_element(By.ID, "files").send_keys(str(image))
    wait = WebDriverWait(browser, 30)
    link = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link") or driver.find_elements(By.CSS_SELECTOR, ".upload.failed"))
    assert link[0].tag_name == "a", browser.find_element(By.CSS_SELECTOR, ".upload .status").text
    share_url = link[0].get_attribute("href")
    assert share_url.startswith(f"http://localhost:{gateway.port}/s/")

    browser.get(share_url)
    assert browser.find_element(By.ID, "filename").text == "red square.png"
    wait.until(lambda driver: driver.execute_script("const i = document.getElementById('preview'); return i && i.complete && i.naturalWidth > 0"))
    assert browser.execute_script("return document.getElementById('preview').naturalWidth") == 40

    browser.find_element(By.ID, "download").click()
    deadline = time.monotonic() + 20
    saved = []
    while time.monotonic() < deadline:
        saved = finished_downloads(browser.downloads)
        if saved:
            break
        time.sleep(0.2)
    assert saved, "the download button saved nothing"
    assert (browser.downloads / saved[0]).read_bytes() == image.read_bytes()


def test_errors_are_shown_next_to_the_file(browser, gateway, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>html is not an allowed type</p>")
    browser.get(f"http://localhost:{gateway.port}/")
    browser.find_element(By.ID, "files").send_keys(str(page))
    failed = WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".upload.failed .status")))
    assert "not accepted" in failed.text


def test_a_big_file_goes_up_in_parts_whose_urls_sign_their_length(browser, gateway, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(7 * 1024 * 1024))  # over the fixture's 6 MiB threshold: two parts
    browser.get(f"http://localhost:{gateway.port}/")
    browser.find_element(By.ID, "files").send_keys(str(big))
    wait = WebDriverWait(browser, 60)
    link = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link") or driver.find_elements(By.CSS_SELECTOR, ".upload.failed"))
    assert link[0].tag_name == "a", browser.find_element(By.CSS_SELECTOR, ".upload .status").text


def test_the_page_says_a_rate_limit_in_plain_words(browser, dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, limits={"uploadsPerMinute": 1})
    try:
        first, second = tmp_path / "one.txt", tmp_path / "two.txt"
        first.write_text("one")
        second.write_text("two")
        browser.get(f"http://localhost:{gateway.port}/")
        wait = WebDriverWait(browser, 30)
        browser.find_element(By.ID, "files").send_keys(str(first))
        wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))
        browser.find_element(By.ID, "files").send_keys(str(second))
        failed = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.failed .status"))
        assert failed[0].text.startswith("Too many uploads from your address: at most 1 a minute."), failed[0].text
    finally:
        gateway.stop()


def test_the_page_offers_downloads_paste_qr_codes_and_a_token_field_only_when_needed(browser, gateway, tmp_path, dropgate_bin):
    browser.get(f"http://localhost:{gateway.port}/")
    wait = WebDriverWait(browser, 30)
    assert not browser.find_element(By.ID, "token").is_displayed()  # this gateway takes uploads without a token
    Select = __import__("selenium.webdriver.support.select", fromlist=["Select"]).Select
    Select(browser.find_element(By.ID, "downloads")).select_by_value("1")
    # Paste a file, as Ctrl-V with a copied file or a screenshot does.
    browser.execute_script("""
        const transfer = new DataTransfer();
        transfer.items.add(new File(["pasted words"], "pasted.txt", {type: "text/plain"}));
        document.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true}));""")
    link = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
    share_id = link.rsplit("/", 1)[1]
    facts = requests.get(f"{gateway.url}/api/shares/{share_id}").json()
    assert facts["filename"] == "pasted.txt" and facts["maxDownloads"] == 1
    qr = browser.find_element(By.CSS_SELECTOR, ".upload.done img.qr")
    wait.until(lambda driver: driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr))
    assert qr.get_attribute("alt") == "QR code of the link to pasted.txt"
    (tmp_path / "guarded").mkdir()
    guarded = Gateway(dropgate_bin, tmp_path / "guarded", auth={"uploadTokens": ["page-token-0123456789abcdef"]})
    try:
        browser.get(f"http://localhost:{guarded.port}/")
        wait.until(lambda driver: driver.find_element(By.ID, "token").is_displayed())
        browser.find_element(By.ID, "files").send_keys(str(tmp_path / "guarded" / "settings-test.json"))
        failed = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.failed .status"))
        assert failed[0].text == "This Dropgate needs an upload token. Ask its owner for one."
    finally:
        guarded.stop()


def test_dark_mode_follows_the_system(browser, gateway):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    browser.get(f"http://localhost:{gateway.port}/")
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 20, 24)", background
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    browser.get(f"http://localhost:{gateway.port}/")
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(247, 248, 250)"


def test_your_shares_survive_a_reload_and_revoke_makes_the_link_410(browser, gateway, tmp_path):
    note = tmp_path / "mine.txt"
    note.write_text("mine to revoke")
    browser.get(f"http://localhost:{gateway.port}/")
    wait = WebDriverWait(browser, 30)
    assert not browser.find_element(By.ID, "mine").is_displayed()  # nothing uploaded from this browser yet
    browser.find_element(By.ID, "files").send_keys(str(note))
    link = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
    browser.refresh()
    entry = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "#mine-list .mine-item"))
    assert entry[0].find_element(By.CSS_SELECTOR, ".mine-link").text == "mine.txt"
    assert entry[0].find_element(By.CSS_SELECTOR, ".mine-link").get_attribute("href") == link
    page = link.replace("http://localhost", "http://127.0.0.1")
    assert requests.get(page).status_code == 200
    entry[0].find_element(By.CSS_SELECTOR, "button.revoke").click()
    wait.until(lambda driver: driver.find_element(By.ID, "mine-status").text.startswith("Revoked: mine.txt"))
    assert requests.get(page).status_code == 410
    browser.refresh()
    assert not browser.find_elements(By.CSS_SELECTOR, "#mine-list .mine-item")
