"""A user's own webhooks on /me (issue 31), in Chromium against the real OpenID provider: registered with its secret
shown once, events of the user's shares delivered signed with that secret (verified by the Standard Webhooks
reference library), the delivery log shown on /me, and the page passing axe-core at desktop and phone widths, in
light and dark mode. The API refuses a session without its CSRF token, and another user's endpoint."""
import pytest
import requests

from test_accessibility import audit
from test_accounts import chromium, gateway, provider, sign_in, sign_in_in  # noqa: F401  (the provider and gateway fixtures)
from test_accounts_tokens import make_token
from gateway_fixtures import put_plan
from webhook_receiver import Receiver


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_user_registers_a_webhook_on_me_and_gets_their_shares_events(gateway, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    receiver = Receiver()
    browser = chromium(scheme)
    try:
        wait = sign_in_in(browser, gateway, "bob")
        browser.get(f"{gateway.base}/me")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#webhook-events input"))
        browser.find_element(By.ID, "webhook-url").send_keys(receiver.url)
        browser.find_element(By.ID, "webhook-event-share-created").click()
        browser.find_element(By.ID, "webhook-event-share-downloaded").click()
        browser.find_element(By.CSS_SELECTOR, "#webhook-form button[type=submit]").click()
        shown = wait.until(lambda d: "shown once" in d.find_element(By.ID, "webhook-new").text and d.find_element(By.ID, "webhook-new").text)
        receiver.secret = shown.rsplit(" ", 1)[1]
        assert receiver.secret.startswith("whsec_")
        # bob shares a file with a personal token and it is downloaded: two events, signed with his secret.
        bob, _ = sign_in(gateway, user="bob")
        token = make_token(bob, gateway, name=f"hooks {scheme}").json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        plan = requests.post(f"{gateway.url}/api/uploads", json={"filename": "minutes.txt", "size": 7, "contentType": "text/plain"}, headers=bearer).json()
        assert put_plan(plan, b"minutes") == 200
        made = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/complete", json={}, headers=bearer).json()
        assert requests.get(f"{gateway.url}/s/{made['share']['id']}/raw").content == b"minutes"
        got = receiver.wait_for(lambda got: {"share.created", "share.downloaded"} <= {b["type"] for _, b in got})
        assert {b["type"] for _, b in got} == {"share.created", "share.downloaded"}  # upload.completed was not picked
        downloaded = next(b for _, b in got if b["type"] == "share.downloaded")["data"]
        assert downloaded["share"] == made["share"]["id"] and downloaded["receipt"] == "link_followed" and downloaded["file"] == "minutes.txt"
        # /me shows the deliveries.
        browser.get(f"{gateway.base}/me")
        WebDriverWait(browser, 30).until(lambda d: "answered 200" in d.find_element(By.ID, "me-webhooks").text)
        # …and the share's downloads, opened on the page, then its log as CSV (the session reads it: no CSRF token for a GET).
        browser.find_element(By.XPATH, "//summary[@aria-label='Downloads of minutes.txt']").click()
        opened = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.XPATH, "//a[@aria-label='Download log of minutes.txt (CSV)']"))
        assert "1 download by 1 visitor" in browser.find_element(By.CSS_SELECTOR, ".share-log[open]").text
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        log_link = opened[0].get_attribute("href")
        csv = bob.get(log_link)
        assert csv.status_code == 200 and csv.text.splitlines()[1].split(",")[2:4] == ["minutes.txt", "script"]
        for width in (1200, 375):
            audit(browser, width)
        # Refusals: no CSRF token with the session, and another user's endpoint.
        listed = bob.get(f"{gateway.base}/api/me/webhooks").json()["webhooks"]
        hook = next(h for h in listed if h["url"] == receiver.url)
        assert "secret" not in hook
        assert bob.post(f"{gateway.base}/api/me/webhooks", json={"url": receiver.url}).status_code == 403
        ada, _ = sign_in(gateway, user="ada")
        csrf = {"X-CSRF-Token": ada.get(f"{gateway.base}/api/me").json()["csrfToken"]}
        assert ada.delete(f"{gateway.base}/api/me/webhooks/{hook['id']}", headers=csrf).status_code == 404
        bob_csrf = {"X-CSRF-Token": bob.get(f"{gateway.base}/api/me").json()["csrfToken"]}
        assert bob.delete(f"{gateway.base}/api/me/webhooks/{hook['id']}", headers=bob_csrf).status_code == 204
    finally:
        browser.quit()
        receiver.stop()
