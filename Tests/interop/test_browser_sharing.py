"""The sharing features of issue 16 in headless Chromium, on the embedded store and on Ceph RGW: files dropped
together share one link, a password page shows nothing until the password is right, and an 80 MB upload survives a
network cut and a reload, sending only the parts the store does not have yet."""
import collections
import os
import re
import time

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import dge1
from conftest import finished_downloads
from gateway_fixtures import gateway_on
from test_browser import png


def chromium(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "profile.default_content_setting_values.automatic_downloads": 1})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.downloads = downloads
    return driver


@pytest.fixture()
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(downloads)
    yield driver
    driver.quit()


@pytest.fixture(params=["embedded", "rgw"])
def gateway(request, dropgate_bin, tmp_path):
    running = gateway_on(request, dropgate_bin, tmp_path, for_browsers=True, uploads={"maxBytes": 128 * 1024 * 1024})
    yield running
    running.stop()


def saved_files(folder, count, timeout=30):
    """The downloads Chromium finished in `folder` (``finished_downloads``), once there are `count`, or at the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(finished_downloads(folder)) >= count:
            break
        time.sleep(0.2)
    return finished_downloads(folder)


def share_link(browser, wait):
    found = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link") or driver.find_elements(By.CSS_SELECTOR, ".upload.failed"))
    assert found[0].tag_name == "a", [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".upload .status")]
    return found[0].get_attribute("href")


def test_three_files_dropped_together_give_one_link_that_lists_and_downloads_them(browser, gateway, tmp_path):
    files = {"alpha.txt": b"alpha\n" * 10, "beta.csv": b"x,y\n1,2\n", "gamma.png": png(12, 8)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    browser.get(f"http://localhost:{gateway.port}/")
    browser.find_element(By.ID, "files").send_keys("\n".join(str(tmp_path / name) for name in files))
    wait = WebDriverWait(browser, 60)
    link = share_link(browser, wait)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".upload.done .share-link")) == 1
    browser.get(link)
    names = [element.text for element in browser.find_elements(By.CSS_SELECTOR, ".file-name")]
    assert names == list(files)
    wait.until(lambda driver: driver.execute_script("const i = document.getElementById('preview-3'); return i && i.complete && i.naturalWidth === 12"))
    # A browser that can stream no download (no file picker, no service worker) gets each file in turn, under its name;
    # the ZIP that others get is test_collection_zip.py's.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
        "source": "delete window.showSaveFilePicker; Object.defineProperty(Navigator.prototype, 'serviceWorker', {get: () => undefined});"})
    browser.refresh()
    browser.find_element(By.ID, "download-all").click()
    saved = saved_files(browser.downloads, 3)
    assert saved == sorted(files), (saved, browser.find_element(By.ID, "download-all-status").text)
    for name, data in files.items():
        assert (browser.downloads / name).read_bytes() == data
    # Each file also has its own page.
    browser.find_element(By.CSS_SELECTOR, "#file-2 .file-name a").click()
    assert browser.find_element(By.ID, "filename").text == "beta.csv"


def test_a_password_share_shows_nothing_until_the_password_is_right(browser, gateway, tmp_path):
    image = tmp_path / "holiday.png"
    image.write_bytes(png(30, 20))
    browser.get(f"http://localhost:{gateway.port}/")
    browser.find_element(By.ID, "password").send_keys("open sesame")
    browser.find_element(By.ID, "files").send_keys(str(image))
    link = share_link(browser, WebDriverWait(browser, 60))
    # A fresh browser, as the person the link was sent to.
    other = chromium(tmp_path / "downloads")
    try:
        other.get(link)
        assert "holiday" not in other.page_source and "bytes" not in other.find_element(By.TAG_NAME, "main").text
        other.find_element(By.ID, "password").send_keys("not it")
        other.find_element(By.CSS_SELECTOR, "form.unlock button").click()
        error = WebDriverWait(other, 10).until(lambda driver: driver.find_elements(By.ID, "password-error"))
        assert "not right" in error[0].text and "holiday" not in other.page_source
        other.find_element(By.ID, "password").send_keys("open sesame")
        other.find_element(By.CSS_SELECTOR, "form.unlock button").click()
        WebDriverWait(other, 10).until(lambda driver: driver.find_elements(By.ID, "filename"))
        assert other.find_element(By.ID, "filename").text == "holiday.png"
        WebDriverWait(other, 10).until(lambda driver: driver.execute_script("const i = document.getElementById('preview'); return i && i.complete && i.naturalWidth === 30"))
        assert not any(cookie["name"] == "dg_unlock" for cookie in other.execute_script("return document.cookie ? [document.cookie] : []"))
    finally:
        other.quit()


def part_puts(gateway, key):
    """The part PUTs the store answered 200 for `key`, by part number (the embedded store's log; RGW's is its own)."""
    counts = collections.Counter()
    pattern = re.compile(r"store PUT /dropgate/" + re.escape(key) + r"\?partNumber=(\d+)&\S* 200 ")
    for line in gateway.log.read_text().splitlines():
        match = pattern.search(line)
        if match:
            counts[int(match.group(1))] += 1
    return counts


def throttle(browser, offline=False, upload=8_000_000):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": upload})


def progress(browser):
    return browser.execute_script("const p = document.querySelector('.upload progress'); return p ? p.value : 0")


def big_file(tmp_path):
    path = tmp_path / "big video.bin"
    path.write_bytes(os.urandom(80 * 1000 * 1000))
    return path


def test_an_upload_survives_a_three_second_network_cut(browser, gateway, tmp_path):
    path = big_file(tmp_path)
    browser.get(f"http://localhost:{gateway.port}/")
    throttle(browser)
    browser.find_element(By.ID, "files").send_keys(str(path))
    wait = WebDriverWait(browser, 120, poll_frequency=0.1)
    wait.until(lambda driver: progress(driver) >= 20)
    throttle(browser, offline=True)
    assert progress(browser) < 60
    seen = set()
    cut = time.monotonic()
    while time.monotonic() - cut < 3:
        seen.update(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".upload .status"))
        time.sleep(0.1)
    assert any("network dropped" in text for text in seen), seen  # the cut was felt, and said in plain words
    throttle(browser)
    link = None
    deadline = time.monotonic() + 120
    clicks = 0
    while time.monotonic() < deadline and link is None:
        done = browser.find_elements(By.CSS_SELECTOR, ".upload.done .share-link")
        if done:
            link = done[0].get_attribute("href")
            break
        retry = [b for b in browser.find_elements(By.CSS_SELECTOR, ".upload.failed .actions button") if b.text == "Retry"]
        if retry:
            assert clicks == 0, "a second Retry was needed"
            retry[0].click()
            clicks += 1
        time.sleep(0.2)
    assert link, [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".upload .status")]
    throttle(browser, upload=-1)
    raw = requests.get(link.replace("localhost", "127.0.0.1") + "/raw?download=1", allow_redirects=False)
    got = requests.get(raw.headers["Location"]) if raw.status_code == 302 else raw
    assert got.content == path.read_bytes()


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_after_a_reload_dropping_the_file_again_sends_only_the_missing_parts(browser, gateway, tmp_path, encrypted):
    path = big_file(tmp_path)
    browser.get(f"http://localhost:{gateway.port}/")
    throttle(browser)
    if encrypted:
        browser.find_element(By.ID, "encrypt").click()
    browser.find_element(By.ID, "files").send_keys(str(path))
    wait = WebDriverWait(browser, 120, poll_frequency=0.1)
    wait.until(lambda driver: progress(driver) >= 40)
    assert progress(browser) < 90
    plans = browser.execute_script("return localStorage.getItem('dropgate.plans')")
    assert plans and "resumableUntil" in plans and "X-Amz-Signature" not in plans  # no URL is kept, only the plan
    browser.refresh()
    throttle(browser, upload=-1)
    if encrypted:
        browser.find_element(By.ID, "encrypt").click()
    browser.find_element(By.ID, "files").send_keys(str(path))
    link = share_link(browser, wait)
    share_id = link.split("/s/")[1].split("#")[0]
    number = 2 if encrypted else 1  # an encrypted share's file 1 is its manifest
    raw = requests.get(f"{gateway.url}/s/{share_id}/{number}/raw?download=1", allow_redirects=False)
    got = requests.get(raw.headers["Location"]) if raw.status_code == 302 else raw
    content = dge1.open_sealed(dge1.key_of(link), got.content) if encrypted else got.content
    assert content == path.read_bytes()
    if gateway.kind == "embedded":
        name = "encrypted-2" if encrypted else "big_video\\.bin"
        key = next(m.group(1) for m in re.finditer(r"store PUT /dropgate/(uploads/\S+/" + name + r")\?partNumber=", gateway.log.read_text()))
        counts = part_puts(gateway, key)
        # 80 MB in 5 MiB parts is 16 parts; each reached the store exactly once, across the reload (sealed, the same
        # key and prefix seal the same bytes again).
        assert sorted(counts) == list(range(1, 17)) and set(counts.values()) == {1}, counts


def test_cancel_aborts_the_multipart_upload(browser, gateway, tmp_path):
    store = gateway.store_client()
    bucket = gateway.settings["storage"]["bucket"]
    uploads = lambda: {u["UploadId"] for u in store.list_multipart_uploads(Bucket=bucket).get("Uploads", [])}  # noqa: E731
    earlier = uploads()  # the RGW bucket is shared with other tests
    path = big_file(tmp_path)
    browser.get(f"http://localhost:{gateway.port}/")
    throttle(browser, upload=4_000_000)
    browser.find_element(By.ID, "files").send_keys(str(path))
    wait = WebDriverWait(browser, 120, poll_frequency=0.1)
    wait.until(lambda driver: progress(driver) >= 5)
    assert uploads() - earlier, "no multipart upload began"
    browser.find_element(By.CSS_SELECTOR, ".upload .actions button").click()
    wait.until(lambda driver: "Cancelled" in driver.find_element(By.CSS_SELECTOR, ".upload .status").text)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and uploads() - earlier:
        time.sleep(0.2)
    assert not uploads() - earlier
    assert browser.execute_script("return localStorage.getItem('dropgate.plans')") in (None, "{}")
