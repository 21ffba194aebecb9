"""Text shares (issue 32): text typed on the upload page, or piped to `dropgate upload --text`, becomes a share like
any file, on the embedded store and on Ceph RGW 16; what is not text, or too much, is refused in plain words."""
import os
import subprocess

import pytest
import requests

from test_accounts import chromium
from test_accessibility import audit
from test_browser_sharing import gateway  # noqa: F401  (embedded and RGW, for browsers)
from test_cli_upload import cli_env

NOTE = "Deploy at 14:00 — ask Zoë first.\n{\"ticket\": 4711}\n"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_typed_on_the_page_becomes_a_share(gateway, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser = chromium(scheme)
    try:
        browser.get(f"http://localhost:{gateway.port}/")  # the origin the bucket's CORS rule names
        browser.find_element(By.CSS_SELECTOR, "#text-share summary").click()
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        browser.find_element(By.ID, "text").send_keys(NOTE)
        browser.find_element(By.CSS_SELECTOR, "#text-form button[type=submit]").click()
        wait = WebDriverWait(browser, 30)
        link = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
        link = link.replace("http://localhost", "http://127.0.0.1")
        assert requests.get(f"{link}/raw").content.decode() == NOTE
        assert browser.find_element(By.ID, "text").get_attribute("value") == ""
        page = requests.get(link).text
        assert "text.txt" in page and "<iframe" in page  # shown as text, sandboxed
        # Copy the text, from its page.
        origin = f"http://localhost:{gateway.port}"
        browser.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        browser.get(link.replace("http://127.0.0.1", "http://localhost"))
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        browser.find_element(By.CSS_SELECTOR, "button.copy-text").click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".copy-status").text == "Copied.")
        copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('failed: ' + e))")
        assert copied == NOTE
    finally:
        browser.quit()


def test_dropgate_upload_text_shares_standard_input(dropgate_bin, gateway, tmp_path):  # noqa: F811
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**cli_env(tmp_path), "TMPDIR": str(scratch)}  # where the CLI writes the text before sending it
    done = subprocess.run([dropgate_bin, "upload", "--text", "--gateway", gateway.url], input=NOTE.encode(), capture_output=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    link = done.stdout.decode().split()[0].replace("http://localhost", "http://127.0.0.1")
    assert requests.get(f"{link}/raw").content.decode() == NOTE
    other = tmp_path / "beside.txt"
    other.write_text("a file beside the text")
    both = subprocess.run([dropgate_bin, "upload", str(other), "--text", "--gateway", gateway.url], input=b"and some text", capture_output=True,
                          env=env, timeout=60)
    assert both.returncode == 0 and "beside.txt, text.txt" in both.stdout.decode().replace("  ", ", "), both.stdout
    cases = [(b"", "read nothing"), (b"\xff\xfe binary", "UTF-8"), (os.urandom(1) * 10_000_001, "at most 10 MB")]
    for given, words in cases:
        refused = subprocess.run([dropgate_bin, "upload", "--text", "--gateway", gateway.url], input=given, capture_output=True, env=env,
                                 timeout=60)
        assert refused.returncode != 0 and words in refused.stderr.decode(), refused.stderr
    assert os.listdir(scratch) == []  # every text written is removed, sent or refused
    bare = subprocess.run([dropgate_bin, "upload", "--gateway", gateway.url], capture_output=True, env=env, timeout=60)
    assert bare.returncode != 0 and "--text" in bare.stderr.decode()
