"""File requests in Chromium (issue 30): the owner makes one on /me, a sender with no account sends three files from
its page (a fourth is refused there), and the owner downloads all three, identical. Both pages pass axe-core at
desktop and phone widths, in light and dark mode; screenshots go to /tmp/dropgate-screenshots."""
import os
import pathlib

import pytest
import requests

from test_accessibility import audit
from test_accounts import chromium, gateway, provider, sign_in, sign_in_in  # noqa: F401  (the provider and gateway fixtures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_sender_fills_a_request_from_its_page_and_the_owner_gets_every_file(gateway, tmp_path, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    shots = pathlib.Path("/tmp/dropgate-screenshots")
    shots.mkdir(exist_ok=True)
    owner, sender = chromium(scheme), chromium(scheme)
    try:
        wait = sign_in_in(owner, gateway, "bob")
        owner.get(f"{gateway.base}/me")
        wait.until(lambda d: d.find_elements(By.ID, "request-form"))
        owner.find_element(By.ID, "request-title-field").send_keys(f"Holiday photos {scheme}")
        files_field = owner.find_element(By.ID, "request-files")
        files_field.clear()
        files_field.send_keys("3")
        mb = owner.find_element(By.ID, "request-mb")
        mb.clear()
        mb.send_keys("10")
        owner.find_element(By.CSS_SELECTOR, "#request-form button[type=submit]").click()
        said = wait.until(lambda d: "/r/" in d.find_element(By.ID, "me-status").text and d.find_element(By.ID, "me-status").text)
        link = said.split("send ")[1].split(" to whoever")[0]
        sender.get(link)
        seen = wait.until(lambda _: "Up to 3 more files" in sender.find_element(By.ID, "request-left").text)
        assert seen and sender.find_element(By.ID, "page-title").text == f"Holiday photos {scheme}"
        for width in (1200, 375):
            audit(sender, width)
            sender.save_screenshot(str(shots / f"request-sender-{scheme}-{width}.png"))
        sender.set_window_size(1200, 900)
        sender.find_element(By.ID, "sender-name").send_keys("Grace")
        made = []
        for number in range(3):
            path = tmp_path / f"photo-{number}.txt"
            path.write_bytes(os.urandom(32).hex().encode())
            made.append(path)
        fourth = tmp_path / "fourth.txt"
        fourth.write_bytes(b"one too many")
        # Four at once: the page refuses them all before sending any.
        sender.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in made + [fourth]))
        refusal = WebDriverWait(sender, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".upload.failed"))[0].text
        assert refusal == "This request takes 3 more files; you chose 4."
        sender.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in made))
        WebDriverWait(sender, 30).until(lambda d: any("Sent:" in s.text for s in d.find_elements(By.CSS_SELECTOR, ".upload .status")))
        # Full: the page says so and takes no more; the gateway refuses a fourth all the same.
        WebDriverWait(sender, 30).until(lambda d: d.find_element(By.ID, "request-left").text == "This request has all the files it takes.")
        assert not sender.find_element(By.ID, "drop").is_displayed()
        request_id = link.rsplit("/", 1)[1]
        refused = requests.post(f"{gateway.url}/api/requests/{request_id}/uploads", json={"filename": "x.txt", "size": 1, "contentType": "text/plain"})
        assert refused.status_code == 409
        owner.get(f"{gateway.base}/me")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".request-files li")) >= 3)
        for width in (1200, 375):
            audit(owner, width)
            owner.save_screenshot(str(shots / f"request-owner-{scheme}-{width}.png"))
        # Download all: every file, straight from the store, into the browser's downloads.
        downloads = tmp_path / f"downloads-{scheme}"
        downloads.mkdir()
        owner.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        owner.set_window_size(1200, 900)
        owner.find_element(By.XPATH, "//button[starts-with(@aria-label, 'Download all 3 files')]").click()
        WebDriverWait(owner, 30).until(lambda _: sorted(p.name for p in downloads.iterdir() if not p.name.endswith(".crdownload"))
                                       == [p.name for p in made])
        assert {p.name: p.read_bytes() for p in downloads.iterdir()} == {p.name: p.read_bytes() for p in made}
        bob, _ = sign_in(gateway, user="bob")
        detail = bob.get(f"{gateway.base}/api/requests/{request_id}/submissions").json()
        got = {f["name"]: requests.get(bob.get(f"{gateway.base}{f['url']}").json()["url"]).content
               for s in detail["submissions"] for f in s["files"]}
        assert got == {p.name: p.read_bytes() for p in made} and detail["submissions"][0]["name"] == "Grace"
    finally:
        owner.quit()
        sender.quit()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_sender_gives_the_requests_password_before_sending(gateway, tmp_path, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    bob, _ = sign_in(gateway, user="bob")  # this gateway takes uploads (and requests) only from people signed in
    csrf = {"X-CSRF-Token": bob.get(f"{gateway.base}/api/me").json()["csrfToken"]}
    made = bob.post(f"{gateway.base}/api/requests", json={"title": "Signed contract", "password": "contract-2026"}, headers=csrf)
    assert made.status_code == 201, made.text
    link = made.json()["request"]["url"]
    sender = chromium(scheme)
    try:
        sender.get(link)
        wait = WebDriverWait(sender, 30)
        wait.until(lambda d: d.find_element(By.ID, "request-unlock").is_displayed())
        assert not sender.find_element(By.ID, "drop").is_displayed()
        for width in (1200, 375):
            audit(sender, width)
        sender.set_window_size(1200, 900)
        sender.find_element(By.ID, "request-password").send_keys("wrong")
        sender.find_element(By.CSS_SELECTOR, "#request-unlock button").click()
        wait.until(lambda d: "not right" in d.find_element(By.ID, "request-left").text)
        sender.find_element(By.ID, "request-password").send_keys("contract-2026")
        sender.find_element(By.CSS_SELECTOR, "#request-unlock button").click()
        wait.until(lambda d: d.find_element(By.ID, "drop").is_displayed())
        signed = tmp_path / "contract.txt"
        signed.write_bytes(b"signed and sealed")
        sender.find_element(By.ID, "files").send_keys(str(signed))
        wait.until(lambda d: any("Sent:" in s.text for s in d.find_elements(By.CSS_SELECTOR, ".upload .status")))
        detail = bob.get(f"{gateway.base}/api/requests/{made.json()['request']['id']}/submissions").json()
        assert [f["name"] for s in detail["submissions"] for f in s["files"]] == ["contract.txt"]
    finally:
        sender.quit()
