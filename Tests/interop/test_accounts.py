"""Signing in with a real OpenID provider (issue 29): django-oauth-toolkit on loopback, with OIDC on, RS256 keys and
PKCE required, its users signing in on its own login form. Chosen over Debian's lemonldap-ng because it installs
from PyPI in seconds, runs without a web server in front, and its users, groups and clients are set up in a few
lines of Django's ORM; it is the provider of record for many Django deployments.

The gateway runs with `auth.uploads: login`. Most tests drive the browser's side of the flow with requests; one signs in, uploads and signs out in Chromium."""
import re
import urllib.parse

import pytest
import requests

from conftest import free_port
from gateway_fixtures import Gateway, put_plan
from oidc_provider import OpenIDProvider
from test_browser import browser  # noqa: F401  (the Chromium fixture)

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = OpenIDProvider(tmp_path_factory.mktemp("idp"), free_port())
    running.add_user("ada", PASSWORD, "ada@example.org", groups=["staff", "dropgate-admins"])
    running.add_user("mallory", PASSWORD, "mallory@elsewhere.test", groups=["visitors"])
    running.add_user("bob", PASSWORD, "bob@example.org", groups=["staff"])
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def gateway(provider, smtp, dropgate_bin, tmp_path_factory):
    running = Gateway(dropgate_bin, tmp_path_factory.mktemp("gw"), auth={
        "uploads": "login", "uploadTokens": ["operator-token-0123456789"],
        "oidc": {"issuer": provider.issuer, "clientId": "dropgate", "clientSecret": "dropgate-client-secret", "allowLoopbackHTTP": True,
                 "allowedGroups": ["staff"], "adminGroup": "dropgate-admins"}},
        webhooks={"allowHTTP": True, "allowedTargets": ["127.0.0.1"], "firstRetry": 1, "interval": 1}, mail=smtp.settings(firstRetry=1))
    base = running.settings["gateway"]["publicURL"]
    provider.add_client("dropgate", "dropgate-client-secret", f"{base}/auth/callback", post_logout_uri=f"{base}/")
    running.base = base
    yield running
    running.stop()


def to_callback(visitor, gateway, user="ada"):
    """Follows /auth/login through the provider's login form; the callback URL the provider sends the visitor to."""
    start = visitor.get(f"{gateway.base}/auth/login?return=/after", allow_redirects=False)
    assert start.status_code == 302, start.text
    login = visitor.get(start.headers["Location"], allow_redirects=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    posted = visitor.post(login.url, data={"csrfmiddlewaretoken": token, "username": user, "password": PASSWORD},
                          headers={"Referer": login.url}, allow_redirects=False)
    assert posted.status_code == 302, posted.text[-500:]
    authorized = visitor.get(urllib.parse.urljoin(login.url, posted.headers["Location"]), allow_redirects=False)
    assert authorized.status_code == 302 and authorized.headers["Location"].startswith(f"{gateway.base}/auth/callback?")
    return authorized.headers["Location"]


def sign_in(gateway, user="ada"):
    visitor = requests.Session()
    done = visitor.get(to_callback(visitor, gateway, user), allow_redirects=False)
    assert done.status_code == 303 and done.headers["Location"] == "/after", done.text
    return visitor, done


def me(visitor, gateway):
    return visitor.get(f"{gateway.base}/api/me").json()


def declare(visitor, gateway, **headers):
    return visitor.post(f"{gateway.base}/api/uploads", json={"filename": "note.txt", "size": 5, "contentType": "text/plain"}, headers=headers)


def test_a_signed_in_user_uploads_with_the_csrf_token_and_signs_out(gateway):
    anonymous = requests.Session()
    assert me(anonymous, gateway) == {"signedIn": False, "signIn": "/auth/login"}
    refused = declare(anonymous, gateway)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    visitor, done = sign_in(gateway)
    cookie = next(c for c in done.raw.headers.getlist("Set-Cookie") if c.startswith("dg_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Secure" not in cookie  # http here
    who = me(visitor, gateway)
    assert (who["signedIn"], who["name"], who["admin"]) == (True, "ada", True) and len(who["csrfToken"]) >= 32
    # The cookie alone, from this page or another site, does not upload: the CSRF token must come too.
    for headers in ({}, {"Origin": "https://evil.test"}, {"X-CSRF-Token": "not-the-token"}):
        answer = declare(visitor, gateway, **headers)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "csrf_rejected", headers
    plan = declare(visitor, gateway, **{"X-CSRF-Token": who["csrfToken"]})
    assert plan.status_code == 201, plan.text
    assert put_plan(plan.json(), b"hello") == 200
    share = visitor.post(f"{gateway.base}/api/uploads/{plan.json()['id']}/complete", json={})
    assert share.status_code == 201 and requests.get(share.json()["downloadUrl"]).content == b"hello"
    # Signing out needs the token too, ends the session here, and names the provider's logout page.
    assert visitor.post(f"{gateway.base}/auth/logout").status_code == 403
    out = visitor.post(f"{gateway.base}/auth/logout", headers={"X-CSRF-Token": who["csrfToken"]})
    assert out.status_code == 200 and out.json()["next"].startswith(gateway_provider_logout(gateway))
    assert me(visitor, gateway)["signedIn"] is False and declare(visitor, gateway).status_code == 401


def gateway_provider_logout(gateway):
    return gateway.settings["auth"]["oidc"]["issuer"] + "/logout/?client_id=dropgate"


def test_an_operator_token_still_uploads_without_signing_in(gateway):
    answer = requests.post(f"{gateway.url}/api/uploads", json={"filename": "a.txt", "size": 1},
                           headers={"Authorization": "Bearer operator-token-0123456789"})
    assert answer.status_code == 201, answer.text
    wrong = requests.post(f"{gateway.url}/api/uploads", json={"filename": "a.txt", "size": 1}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_a_replayed_authorization_code_is_refused(gateway):
    visitor = requests.Session()
    callback = to_callback(visitor, gateway)
    signin_cookie = visitor.cookies.get("dg_signin")
    assert visitor.get(callback, allow_redirects=False).status_code == 303
    again = requests.get(callback, headers={"Cookie": f"dg_signin={signin_cookie}"}, allow_redirects=False)
    assert again.status_code == 401 and "refused this sign-in" in again.text and "dg_session" not in again.headers.get("Set-Cookie", "")


def test_a_callback_this_browser_did_not_start_is_refused(gateway):
    visitor = requests.Session()
    callback = to_callback(visitor, gateway)
    # Without the sign-in cookie there is no PKCE verifier and no nonce: nothing is exchanged.
    stranger = requests.get(callback, allow_redirects=False)
    assert stranger.status_code == 400 and "did not start this sign-in" in stranger.text
    # With the cookie but another state (a forged or mixed-up callback).
    forged = re.sub(r"state=[^&]+", "state=forged", callback)
    other = visitor.get(forged, allow_redirects=False)
    assert other.status_code == 400 and "dg_session" not in other.headers.get("Set-Cookie", "")
    # The provider's own refusal is shown as such.
    denied = visitor.get(f"{gateway.base}/auth/callback?error=access_denied&state=x", allow_redirects=False)
    assert denied.status_code == 401 and "access_denied" in denied.text


def test_a_user_outside_the_allowed_groups_is_not_signed_in(gateway):
    visitor = requests.Session()
    refused = visitor.get(to_callback(visitor, gateway, user="mallory"), allow_redirects=False)
    assert refused.status_code == 403 and "none of the groups" in refused.text
    assert me(visitor, gateway)["signedIn"] is False


def test_a_tampered_session_cookie_is_no_session(gateway):
    visitor, _ = sign_in(gateway)
    value = visitor.cookies.get("dg_session")
    payload, mac = value.split(".")
    for forged in (payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + mac, payload + "." + mac[::-1], "x.y"):
        answer = requests.get(f"{gateway.base}/api/me", headers={"Cookie": f"dg_session={forged}"}).json()
        assert answer["signedIn"] is False


def test_the_gateway_page_offers_sign_in(gateway):
    page = requests.get(f"{gateway.base}/")
    assert page.status_code == 200 and 'id="account"' in page.text
    assert "X-CSRF-Token" in requests.get(f"{gateway.base}/static/app.js").text
    assert "X-CSRF-Token" in requests.get(f"{gateway.base}/static/account.js").text


def upload_signed_in(visitor, gateway, name, data):
    token = me(visitor, gateway)["csrfToken"]
    plan = visitor.post(f"{gateway.base}/api/uploads", json={"filename": name, "size": len(data), "contentType": "text/plain", "maxDownloads": 3},
                        headers={"X-CSRF-Token": token}).json()
    assert put_plan(plan, data) == 200
    done = visitor.post(f"{gateway.base}/api/uploads/{plan['id']}/complete", json={})
    assert done.status_code == 201, done.text
    return done.json()


def test_your_shares_are_listed_on_every_device_and_only_you_revoke_them(gateway):
    laptop, _ = sign_in(gateway)
    first = upload_signed_in(laptop, gateway, "first.txt", b"one")
    second = upload_signed_in(laptop, gateway, "second.txt", b"two!")
    phone, _ = sign_in(gateway)  # another browser, the same account
    listed = phone.get(f"{gateway.base}/api/me/shares").json()
    mine = [s for s in listed["shares"] if s["id"] in (first["share"]["id"], second["share"]["id"])]
    assert [s["title"] for s in mine] == ["second.txt", "first.txt"]  # newest first
    assert mine[0]["size"] == 4 and mine[0]["files"] == 1 and mine[0]["password"] is False and mine[0]["url"] == second["share"]["url"]
    assert listed["total"] >= 2 and requests.get(f"{gateway.base}/api/me/shares").status_code == 401
    # Someone else, signed in, neither sees nor revokes them.
    bob, _ = sign_in(gateway, user="bob")
    assert all(s["id"] != first["share"]["id"] for s in bob.get(f"{gateway.base}/api/me/shares").json()["shares"])
    not_yours = bob.delete(f"{gateway.base}/api/shares/{first['share']['id']}", headers={"X-CSRF-Token": me(bob, gateway)["csrfToken"]})
    assert not_yours.status_code == 403
    # The owner revokes from the other device, with the CSRF token.
    assert phone.delete(f"{gateway.base}/api/shares/{first['share']['id']}").status_code == 403
    revoked = phone.delete(f"{gateway.base}/api/shares/{first['share']['id']}", headers={"X-CSRF-Token": me(phone, gateway)["csrfToken"]})
    assert revoked.status_code == 204 and requests.get(first["share"]["url"]).status_code == 410
    after = [s["id"] for s in laptop.get(f"{gateway.base}/api/me/shares").json()["shares"]]
    assert first["share"]["id"] not in after and second["share"]["id"] in after


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signing_in_in_chromium_then_uploading_from_the_page(browser, gateway, tmp_path, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_accessibility import audit
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    wait = WebDriverWait(browser, 30)
    browser.get(f"{gateway.base}/")
    sign_in_link = wait.until(lambda driver: driver.find_elements(By.LINK_TEXT, "Sign in"))[0]
    for width in (1200, 375):
        audit(browser, width)
    sign_in_link.click()
    wait.until(lambda driver: driver.find_elements(By.NAME, "username"))[0].send_keys("ada")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait.until(lambda driver: "Signed in as ada" in driver.find_element(By.ID, "account").text)
    for width in (1200, 375):
        audit(browser, width)
    note = tmp_path / "signed in.txt"
    note.write_bytes(b"uploaded while signed in")
    browser.find_element(By.ID, "files").send_keys(str(note))
    link = wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link") or driver.find_elements(By.CSS_SELECTOR, ".upload.failed"))
    assert link[0].tag_name == "a", browser.find_element(By.CSS_SELECTOR, ".upload .status").text
    assert requests.get(link[0].get_attribute("href") + "/raw").content == b"uploaded while signed in"
    browser.find_element(By.XPATH, "//button[text()='Sign out']").click()
    wait.until(lambda driver: "/logout" in driver.current_url or driver.find_elements(By.LINK_TEXT, "Sign in"))
    browser.get(f"{gateway.base}/")
    wait.until(lambda driver: driver.find_elements(By.LINK_TEXT, "Sign in"))


def chromium(scheme):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    return driver


def sign_in_in(driver, gateway, user, path="/"):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(driver, 30)
    driver.get(f"{gateway.base}{path}")
    wait.until(lambda d: d.find_elements(By.LINK_TEXT, "Sign in"))[0].click()
    wait.until(lambda d: d.find_elements(By.NAME, "username"))[0].send_keys(user)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait.until(lambda d: f"Signed in as {user}" in d.find_element(By.ID, "account").text)
    return wait


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_second_browser_sees_the_share_on_the_me_page_revokes_it_and_signs_out_everywhere(gateway, tmp_path, scheme):
    import pathlib
    from selenium.webdriver.common.by import By
    from test_accessibility import audit
    shots = pathlib.Path("/tmp/dropgate-screenshots")
    shots.mkdir(exist_ok=True)
    first, second = chromium(scheme), chromium(scheme)
    try:
        wait = sign_in_in(first, gateway, "ada")
        note = tmp_path / "seen elsewhere.txt"
        note.write_bytes(b"uploaded in the first browser")
        first.find_element(By.ID, "files").send_keys(str(note))
        link = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
        other = sign_in_in(second, gateway, "ada")
        second.get(f"{gateway.base}/me")
        row = other.until(lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#me-shares .mine-item") if "seen elsewhere.txt" in r.text])[0]
        assert "29 bytes" in row.text and row.find_element(By.CSS_SELECTOR, "a.mine-link").get_attribute("href") == link
        for width in (1200, 375):
            audit(second, width)
            second.save_screenshot(str(shots / f"me-{scheme}-{width}.png"))
        second.set_window_size(1200, 900)
        # Change the expiry and set a password from the page; the share then asks for it.
        row.find_element(By.TAG_NAME, "summary").click()
        from selenium.webdriver.support.ui import Select
        Select(row.find_element(By.CSS_SELECTOR, "select[name^=expires]")).select_by_visible_text("30 days from now")
        row.find_element(By.CSS_SELECTOR, "input[name^=password]").send_keys("page-password")
        row.find_element(By.XPATH, ".//button[text()='Save']").click()
        other.until(lambda d: "Changed" in d.find_element(By.ID, "me-status").text)
        row = [r for r in second.find_elements(By.CSS_SELECTOR, "#me-shares .mine-item") if "seen elsewhere.txt" in r.text][0]
        assert "password" in row.text
        assert 'name="password"' in requests.get(link).text
        second.find_element(By.ID, "token-name").send_keys("from the page")
        second.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
        other.until(lambda d: "dgp." in d.find_element(By.ID, "token-new").text)
        row.find_element(By.XPATH, ".//button[text()='Revoke']").click()
        other.until(lambda d: "Revoked" in d.find_element(By.ID, "me-status").text)
        assert requests.get(link).status_code == 410
        second.get(f"{gateway.base}/admin")
        other.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#admin-users tbody tr")) >= 1)
        # The admin's list of every share shows the one just revoked, as revoked.
        other.until(lambda d: any("seen elsewhere.txt" in r.text and "revoked" in r.text.lower()
                                  for r in d.find_elements(By.CSS_SELECTOR, "#admin-shares tbody tr")))
        for width in (1200, 375):
            audit(second, width)
            second.save_screenshot(str(shots / f"admin-{scheme}-{width}.png"))
        second.set_window_size(1200, 900)
        second.get(f"{gateway.base}/me")
        other.until(lambda d: d.find_elements(By.ID, "everywhere"))[0].click()
        other.until(lambda d: d.find_elements(By.LINK_TEXT, "Sign in"))
        first.get(f"{gateway.base}/")
        wait.until(lambda d: d.find_elements(By.LINK_TEXT, "Sign in"))  # the first browser's session ended too
    finally:
        first.quit()
        second.quit()
