"""Mail (issue 31) through a real SMTP server on loopback (aiosmtpd): a share's link by mail from the API and the CLI,
with its headers, links and plain-text part checked and no secret in it; recipients that would inject a header are
refused; sending is rate-limited; a failed send is retried until the server is back; without `mail.host` it is all
hidden. Owners' notices by mail, once each, on the gateway with accounts."""
import os
import subprocess

import pytest
import requests

from gateway_fixtures import Gateway, put_plan
from smtp_server import SMTPServer
from test_accounts import gateway, provider, sign_in  # noqa: F401  (the provider and gateway fixtures)
from test_accounts_tokens import make_token


def share(gateway, data=b"quarterly numbers", **terms):
    plan = gateway.create(filename="report.txt", size=len(data), contentType="text/plain", **terms).json()
    assert put_plan(plan, data) == 200
    done = gateway.complete(plan["id"])
    assert done.status_code == 201, done.text
    return done.json()


def mail(gateway, made, body, token=None):
    return requests.post(f"{gateway.url}/api/shares/{made['share']['id']}/mail", json=body,
                         headers={"Authorization": f"Bearer {token or made['deleteToken']}"})


@pytest.fixture
def mailing(dropgate_bin, tmp_path):
    server = SMTPServer()
    running = Gateway(dropgate_bin, tmp_path, mail=server.settings(perHour=4, firstRetry=1), webhooks={"interval": 1})
    yield running, server
    running.stop()
    server.stop()


def test_a_link_goes_by_mail_with_both_parts_and_no_secret(mailing):
    gateway, server = mailing
    assert requests.get(f"{gateway.url}/api/limits").json()["mail"] is True
    made = share(gateway, maxDownloads=3)
    sent = mail(gateway, made, {"to": ["ada@example.org", "Grace@Example.org", "ada@example.org"], "message": "See you Monday,\r\nGrace ✈"})
    assert sent.status_code == 202 and sent.json() == {"queued": 2}, sent.text
    ((sender, recipients, message, raw),) = server.wait_for(lambda got: len(got) == 1)
    assert sender == "drop@example.org" and recipients == ["ada@example.org", "Grace@Example.org"]
    assert message["From"] == "Dropgate <drop@example.org>" and message["To"] == "ada@example.org, Grace@Example.org"
    assert message["Subject"] == "Someone shared “report.txt” with you" and message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = made["share"]["url"]
    assert link in text and "See you Monday,\nGrace ✈" in text and "not attached" in text
    assert f'<a href="{link}">' in html and "See you Monday,<br>Grace ✈" in html
    assert made["deleteToken"].encode() not in raw and made["deleteToken"] not in text + html
    # Four recipients an hour: two taken, one more goes, the next is refused in plain words.
    assert mail(gateway, made, {"to": ["c@example.org"]}).status_code == 202
    limited = mail(gateway, made, {"to": ["d@example.org", "e@example.org"]})
    assert limited.status_code == 429 and "mail.perHour" in limited.json()["error"]["message"]


@pytest.mark.parametrize("recipient", ["a@example.org\r\nBcc: evil@example.org", "Ada <ada@example.org>", "a@b", "a@example.org, b@example.org",
                                       "a\u0000@example.org", "\"a b\"@example.org", "a@exam_ple.org"])
def test_a_recipient_that_is_not_one_address_is_refused(mailing, recipient):
    gateway, server = mailing
    made = share(gateway)
    refused = mail(gateway, made, {"to": [recipient]})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_mail", refused.text
    assert "\n" not in refused.json()["error"]["message"] and "\u0000" not in refused.json()["error"]["message"]
    assert server.messages == []


def test_who_may_mail_a_link_and_what(mailing):
    gateway, _ = mailing
    made = share(gateway)
    other = share(gateway, b"other")
    assert mail(gateway, made, {"to": ["a@example.org"]}, token=other["deleteToken"]).status_code == 401
    assert mail(gateway, made, {"to": []}).status_code == 400
    assert mail(gateway, made, {"to": ["a@example.org"], "message": "x" * 2001}).status_code == 400
    assert mail(gateway, made, {"to": ["a@example.org"], "subject": "mine"}).status_code == 400  # no field sets a header
    requests.delete(f"{gateway.url}/api/shares/{made['share']['id']}", headers={"Authorization": f"Bearer {made['deleteToken']}"})
    assert mail(gateway, made, {"to": ["a@example.org"]}).status_code == 410


def test_the_cli_mails_the_link_and_refuses_an_encrypted_share(mailing, dropgate_bin, tmp_path):
    gateway, server = mailing
    path = tmp_path / "minutes.txt"
    path.write_bytes(b"the minutes")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    run = lambda *args: subprocess.run([dropgate_bin, "upload", *args, "--gateway", gateway.url], capture_output=True, text=True, env=env, timeout=60)  # noqa: E731
    done = run(str(path), "--mail-to", "ada@example.org,grace@example.org", "--mail-message", "From the CLI")
    assert done.returncode == 0, done.stderr
    link = done.stdout.split()[0]
    messages = server.wait_for(lambda got: len(got) == 1)
    assert link in messages[0][2].get_body(preferencelist=("plain",)).get_content() and messages[0][1] == ["ada@example.org", "grace@example.org"]
    refused = run(str(path), "--encrypt", "--mail-to", "ada@example.org")
    assert refused.returncode != 0 and "send the link yourself" in refused.stderr


def test_a_failed_send_is_retried_until_the_server_is_back(dropgate_bin, tmp_path):
    server = SMTPServer(start=False)  # the port is named, nothing listens yet
    gateway = Gateway(dropgate_bin, tmp_path, mail=server.settings(firstRetry=1), webhooks={"interval": 1})
    try:
        made = share(gateway)
        assert mail(gateway, made, {"to": ["ada@example.org"]}).status_code == 202  # the request never waits for SMTP
        import time
        time.sleep(2)
        assert "mail: sending failed (attempt 1 of 8)" in gateway.log.read_text()
        server.controller.start()
        server.wait_for(lambda got: len(got) == 1, timeout=30)
    finally:
        gateway.stop()
        server.stop()


def test_without_mail_settings_every_mail_feature_is_hidden(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path)
    try:
        made = share(gateway)
        assert "mail" not in requests.get(f"{gateway.url}/api/limits").json()
        hidden = mail(gateway, made, {"to": ["ada@example.org"]})
        assert hidden.status_code == 404 and "mail.host" in hidden.json()["error"]["message"]
    finally:
        gateway.stop()


def test_an_owner_is_mailed_once_of_what_they_asked_for(gateway, smtp):  # noqa: F811
    bob, _ = sign_in(gateway, user="bob")
    csrf = {"X-CSRF-Token": bob.get(f"{gateway.base}/api/me").json()["csrfToken"]}
    assert bob.put(f"{gateway.base}/api/me/notices", json={"mail": ["share.webhook"]}, headers=csrf).status_code == 400
    chosen = bob.put(f"{gateway.base}/api/me/notices", json={"mail": ["request.submitted", "share.downloaded"]}, headers=csrf)
    assert chosen.status_code == 200 and chosen.json()["mail"] == ["request.submitted", "share.downloaded"] and chosen.json()["mailEnabled"]
    before = len(smtp.messages)
    # A request of bob's gets files from a stranger.
    made = bob.post(f"{gateway.base}/api/requests", json={"title": "Mailed papers"}, headers=csrf).json()["request"]
    plan = requests.post(f"{gateway.url}/api/requests/{made['id']}/uploads", json={"filename": "a.txt", "size": 3, "contentType": "text/plain"}).json()
    assert put_plan(plan, b"abc") == 200
    receipt = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/complete", json={"collection": True}).json()["receipt"]
    for _ in range(2):  # handed over twice (a retry): one submission, one mail
        assert requests.post(f"{gateway.url}/api/requests/{made['id']}/submissions", json={"files": [receipt]}).status_code == 201
    # A share of bob's is downloaded three times: one mail, for the first.
    token = make_token(bob, gateway, name="mailed").json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    up = requests.post(f"{gateway.url}/api/uploads", json={"filename": "plan.txt", "size": 4, "contentType": "text/plain"}, headers=bearer).json()
    assert put_plan(up, b"plan") == 200
    shared = requests.post(f"{gateway.url}/api/uploads/{up['id']}/complete", json={}, headers=bearer).json()
    for _ in range(3):
        assert requests.get(f"{gateway.url}/s/{shared['share']['id']}/raw").content == b"plan"
    got = smtp.wait_for(lambda got: len(got) >= before + 2)[before:]
    import time
    time.sleep(3)
    got = smtp.messages[before:]
    subjects = sorted(m[2]["Subject"] for m in got)
    assert subjects == ["New files for “Mailed papers”", "“plan.txt” was downloaded"], subjects
    assert all(m[1] == ["bob@example.org"] for m in got)
    downloaded = next(m for m in got if "downloaded" in m[2]["Subject"])[2].get_body(preferencelist=("plain",)).get_content()
    assert "its link was followed" in downloaded and shared["share"]["url"] in downloaded and token not in downloaded


def test_a_share_may_choose_its_own_notices(gateway, smtp):  # noqa: F811
    bob, _ = sign_in(gateway, user="bob")
    csrf = {"X-CSRF-Token": bob.get(f"{gateway.base}/api/me").json()["csrfToken"]}
    assert bob.put(f"{gateway.base}/api/me/notices", json={"mail": ["share.downloaded"]}, headers=csrf).status_code == 200
    token = make_token(bob, gateway, name="per share").json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}

    def upload(name, **terms):
        up = requests.post(f"{gateway.url}/api/uploads", json={"filename": name, "size": 2, "contentType": "text/plain", **terms}, headers=bearer).json()
        assert put_plan(up, b"ok") == 200
        return requests.post(f"{gateway.url}/api/uploads/{up['id']}/complete", json={}, headers=bearer).json()["share"]

    quiet, limited = upload("quiet.txt"), upload("limited.txt", maxDownloads=1)
    assert requests.put(f"{gateway.url}/api/shares/{quiet['id']}/notices", json={"mail": []}, headers=bearer).json().get("mail") == []
    chosen = requests.put(f"{gateway.url}/api/shares/{limited['id']}/notices", json={"mail": ["share.download_limit_reached"]}, headers=bearer)
    assert chosen.status_code == 200 and chosen.json()["mail"] == ["share.download_limit_reached"]
    refused = requests.put(f"{gateway.url}/api/shares/{limited['id']}/notices", json={"mail": ["request.submitted"]}, headers=bearer)
    assert refused.status_code == 400
    ada, _ = sign_in(gateway, user="ada")
    ada_csrf = {"X-CSRF-Token": ada.get(f"{gateway.base}/api/me").json()["csrfToken"]}
    assert ada.put(f"{gateway.base}/api/shares/{quiet['id']}/notices", json={"mail": None}, headers=ada_csrf).status_code == 404
    before = len(smtp.messages)
    for share in (quiet, limited):
        assert requests.get(f"{gateway.url}/s/{share['id']}/raw").status_code == 200
    smtp.wait_for(lambda got: len(got) >= before + 1)
    import time
    time.sleep(3)
    assert [m[2]["Subject"] for m in smtp.messages[before:]] == ["“limited.txt” reached its download limit"]
    # Back to the default: the quiet share mails its first download from now on… which it had: nothing more comes.
    assert requests.put(f"{gateway.url}/api/shares/{quiet['id']}/notices", json={"mail": None}, headers=bearer).json().get("mail") is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_upload_page_mails_the_link(mailing, tmp_path, scheme):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from test_accessibility import audit
    from test_accounts import chromium
    gateway, server = mailing
    browser = chromium(scheme)
    try:
        browser.get(f"http://localhost:{gateway.port}/")  # the origin the store's CORS rule names
        path = tmp_path / "agenda.txt"
        path.write_bytes(b"the agenda")
        browser.find_element(By.ID, "files").send_keys(str(path))
        wait = WebDriverWait(browser, 30)
        field = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".mail-link input"))[0]
        link = browser.find_element(By.CSS_SELECTOR, ".share-link").get_attribute("href")
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        field.send_keys("not an address")
        browser.find_element(By.CSS_SELECTOR, ".mail-link button[type=submit]").click()
        wait.until(lambda d: "not a mail address" in d.find_element(By.CSS_SELECTOR, ".mail-link .hint").text)
        field.clear()
        field.send_keys("ada@example.org")
        browser.find_element(By.CSS_SELECTOR, ".mail-link textarea").send_keys("For Monday")
        browser.find_element(By.CSS_SELECTOR, ".mail-link button[type=submit]").click()
        wait.until(lambda d: "on its way to ada@example.org" in d.find_element(By.CSS_SELECTOR, ".mail-link .hint").text)
        ((_, recipients, message, _),) = server.wait_for(lambda got: len(got) == 1)
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert recipients == ["ada@example.org"] and link in text and "For Monday" in text
    finally:
        browser.quit()
