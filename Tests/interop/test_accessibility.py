"""Every page passes axe-core (axe-selenium-python's bundled copy) in Chromium, at desktop and phone widths, in light
and dark mode, and fits a phone's width without sideways scrolling."""
import pytest
import requests
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT
from dge1 import encrypted_share
from gateway_fixtures import Gateway, collection, put_plan
from test_browser import browser, png  # noqa: F401  (the Chromium fixture)


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path)
    yield running
    running.stop()


def share(gateway, name, data, content_type, **declaration):
    plan = gateway.create(filename=name, size=len(data), contentType=content_type, **declaration).json()
    assert put_plan(plan, data) == 200
    return gateway.complete(plan["id"]).json()["share"]


def audit(browser, width):
    browser.set_window_size(width, 900)
    axe = Axe(browser)
    axe.inject()
    violations = axe.run()["violations"]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "sideways scrolling"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1200, 375])
def test_every_page_passes_axe(browser, gateway, tmp_path, width, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    base = f"http://localhost:{gateway.port}"
    text = share(gateway, "notes.txt", b"plain words", "text/plain")
    image = share(gateway, "red square.png", png(40, 30), "image/png")
    limited = share(gateway, "once.txt", b"once", "text/plain", maxDownloads=1)
    revoked_plan = gateway.create(filename="gone.txt", size=4, contentType="text/plain").json()
    assert put_plan(revoked_plan, b"gone") == 200
    revoked = gateway.complete(revoked_plan["id"]).json()
    requests.delete(f"{base}/api/shares/{revoked['share']['id']}", headers={"Authorization": f"Bearer {revoked['deleteToken']}"})
    batch = collection(gateway, [("notes.txt", b"plain words", "text/plain"), ("red square.png", png(40, 30), "image/png"),
                                 ("data.bin", b"\x00\x01", "application/octet-stream")])
    locked = collection(gateway, [("hidden.txt", b"hidden", "text/plain")], password="pw")
    pages = [f"{base}/", text["url"], image["url"], limited["url"], revoked["share"]["url"], f"{base}/s/AAAAAAAAAAAAAAAAAAAAAA",
             batch["share"]["url"], batch["files"][1]["url"], locked["share"]["url"]]
    for url in pages:
        browser.set_window_size(width, 900)
        browser.get(url)
        audit(browser, width)
    # An encrypted share, decrypted in the page; without its key; and locked with a password.
    sealed = encrypted_share(gateway, [("red square.png", png(40, 30), "image/png"), ("notes.txt", b"plain words", "text/plain")])
    for url in [sealed, sealed.split("#")[0], encrypted_share(gateway, [("a.txt", b"a", "text/plain")], password="pw")]:
        browser.get("about:blank")
        browser.get(url)
        WebDriverWait(browser, 20).until(lambda driver: driver.execute_script(
            "const s = document.getElementById('e2e-status'); const l = document.getElementById('locked');"
            "return l || (s && !s.textContent.startsWith('Decrypting'));"))
        if "#k=" in url:
            WebDriverWait(browser, 20).until(lambda driver: driver.execute_script(
                "const i = document.querySelector('#e2e-files img'); return i && i.complete && i.naturalWidth > 0"))
            shots = ROOT / ".build" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(shots / f"encrypted-{width}-{scheme}.png"))
        audit(browser, width)
    # A wrong password's page, with its message tied to the field.
    browser.get(locked["share"]["url"])
    browser.find_element(By.ID, "password").send_keys("wrong")
    browser.find_element(By.CSS_SELECTOR, "form.unlock button").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "password-error"))
    audit(browser, width)
    # The upload form after an upload: the share link and its copy button, and a refused file's message.
    browser.get(f"{base}/")
    picture = tmp_path / "pixel.png"
    picture.write_bytes(png(2, 2))
    refused = tmp_path / "page.html"
    refused.write_text("<p>no</p>")
    browser.find_element(By.ID, "files").send_keys(str(picture))
    browser.find_element(By.ID, "files").send_keys(str(refused))
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link")
                                     and driver.find_elements(By.CSS_SELECTOR, ".upload.failed"))
    audit(browser, width)
    # Screenshots for people to look at: .build/screenshots/upload-<width>-<scheme>.png (and the image share's page).
    shots = ROOT / ".build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(shots / f"upload-{width}-{scheme}.png"))
    browser.get(image["url"])
    browser.save_screenshot(str(shots / f"share-{width}-{scheme}.png"))
    browser.get(batch["share"]["url"])
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script(
        "const i = document.getElementById('preview-2'); return i && i.complete && i.naturalWidth > 0"))
    browser.save_screenshot(str(shots / f"collection-{width}-{scheme}.png"))
    browser.get(locked["share"]["url"])
    browser.save_screenshot(str(shots / f"password-{width}-{scheme}.png"))
