"""File requests encrypted to their owner in Chromium (issue 30). A sender's page seals every file to the key in the
link's fragment (on the embedded store and on Ceph RGW 16) and refuses a link without it or with another; an owner
makes an encrypted request on /me with a passphrase, opens it there and downloads every file decrypted, and the CLI
opens the same key with the passphrase. The pages pass axe-core at desktop and phone widths, in light and dark mode;
screenshots go to /tmp/dropgate-screenshots."""
import json
import pathlib

import pytest
import requests

import dge1
import dge1_owner
from terminal import typed_at_prompt
from test_accessibility import audit
from test_accounts import chromium, gateway, provider, sign_in, sign_in_in  # noqa: F401  (the provider and gateway fixtures)
from test_accounts_tokens import make_token
from test_file_requests_encrypted import cli_env
from test_share_races import pair, s3_client  # noqa: F401  (the pair fixture: embedded and RGW)

SHOTS = pathlib.Path("/tmp/dropgate-screenshots")


def sent(driver):
    from selenium.webdriver.common.by import By
    return any(s.text.startswith("Sent, encrypted:") for s in driver.find_elements(By.CSS_SELECTOR, ".upload .status"))


def wait_sent(driver):
    """Waits for the page to say the files went, encrypted; else fails with what the page said instead."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        WebDriverWait(driver, 60).until(sent)
    except TimeoutException:
        pytest.fail("the page said: " + " | ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".upload"))
                    + " | console: " + str(driver.get_log("browser")))


def test_the_senders_page_seals_every_file_to_the_key_in_its_link(pair, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    first, second = pair.gateways
    if pair.storage["bucket"].startswith("races-"):
        first.fix_store()  # RGW: the CORS rule for the page's origin, as `dropgate doctor --fix` writes it
    owner = dge1_owner.generate()
    raw = dge1_owner.public_raw(owner)
    made = requests.post(f"{second.url}/api/requests", json={
        "title": "Medical records", "maxFiles": 3, "encryption": {"publicKey": {"alg": "X25519", "key": dge1_owner.b64url(raw)}}})
    assert made.status_code == 201, made.text
    request_id, token = made.json()["request"]["id"], made.json()["ownerToken"]
    page = f"http://localhost:{first.port}/r/{request_id}"  # the origin the bucket's CORS rule names; made at the other
    sender = chromium("light")
    try:
        wait = WebDriverWait(sender, 30)
        # Without the key, or with another: the page says so and takes nothing.
        sender.get(page)
        wait.until(lambda d: "lacks its key" in d.find_element(By.ID, "request-left").text)
        assert not sender.find_element(By.ID, "drop").is_displayed()
        sender.get(f"{page}#{dge1_owner.fragment('X25519', dge1_owner.public_raw(dge1_owner.generate()))}")
        sender.refresh()
        wait.until(lambda d: "not the key this request was made with" in d.find_element(By.ID, "request-left").text)
        assert not sender.find_element(By.ID, "drop").is_displayed()
        # A key in the link of a request the gateway calls plain: the page sends nothing.
        plain = requests.post(f"{second.url}/api/requests", json={"title": "Plain"}).json()["request"]["id"]
        sender.get(f"http://localhost:{first.port}/r/{plain}#{dge1_owner.fragment('X25519', raw)}")
        wait.until(lambda d: "the gateway says the request is not encrypted" in d.find_element(By.ID, "request-left").text)
        assert not sender.find_element(By.ID, "drop").is_displayed()
        sender.get(f"{page}#{dge1_owner.fragment('X25519', raw)}")
        notice = wait.until(lambda d: d.find_element(By.ID, "request-e2e").text)
        assert dge1_owner.fingerprint("X25519", raw) in notice
        files = {"x-ray.txt": b"the secret plaintext marker " * 3000, "letter.txt": b"dear doctor, another secret plaintext marker"}
        paths = []
        for name, data in files.items():
            (tmp_path / name).write_bytes(data)
            paths.append(str(tmp_path / name))
        sender.find_element(By.ID, "files").send_keys("\n".join(paths))
        wait_sent(sender)
    finally:
        sender.quit()
    # The bucket holds ciphertext only; the owner's key opens the submission, names and all.
    client = s3_client(pair.storage)
    everything = b"".join(client.get_object(Bucket=pair.storage["bucket"], Key=o["Key"])["Body"].read()
                          for o in client.list_objects_v2(Bucket=pair.storage["bucket"]).get("Contents", []))
    assert b"secret plaintext marker" not in everything and b"x-ray" not in everything
    headers = {"Authorization": f"Bearer {token}"}
    (submission,) = requests.get(f"{second.url}/api/requests/{request_id}/submissions", headers=headers).json()["submissions"]
    key = dge1_owner.unwrap(submission["keyWrap"], owner)
    manifest = dge1.open_sealed(key, dge1_owner.unb64url(submission["manifest"])).decode()
    got = {}
    for listed, file in zip(json.loads(manifest)["files"], submission["files"]):
        url = requests.get(f"{first.url}{file['url']}", headers=headers).json()["url"]
        got[listed["name"]] = dge1.open_sealed(key, requests.get(url).content)
    assert got == files


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_owner_opens_an_encrypted_request_on_me_and_with_the_cli(gateway, dropgate_bin, tmp_path, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    SHOTS.mkdir(exist_ok=True)
    owner, sender = chromium(scheme), chromium(scheme)
    passphrase = f"a long owner passphrase {scheme}"
    try:
        wait = sign_in_in(owner, gateway, "bob")
        owner.get(f"{gateway.base}/me")
        wait.until(lambda d: d.find_elements(By.ID, "request-form"))
        owner.find_element(By.ID, "request-title-field").send_keys(f"Sealed papers {scheme}")
        owner.find_element(By.ID, "request-encrypt").click()
        owner.find_element(By.ID, "request-passphrase").send_keys(passphrase)
        owner.find_element(By.CSS_SELECTOR, "#request-form button[type=submit]").click()
        said = WebDriverWait(owner, 60).until(lambda d: "fingerprint" in d.find_element(By.ID, "me-status").text and d.find_element(By.ID, "me-status").text)
        link = said.split("send ")[1].split(" to whoever")[0]
        fingerprint = said.split("key fingerprint ")[1].split(".")[0]
        assert "#pk=" in link
        sender.get(link)
        notice = WebDriverWait(sender, 30).until(lambda d: d.find_element(By.ID, "request-e2e").text)
        assert fingerprint in notice  # what the owner noted is what the sender sees
        for width in (1200, 375):
            audit(sender, width)
            sender.save_screenshot(str(SHOTS / f"request-encrypted-sender-{scheme}-{width}.png"))
        sender.set_window_size(1200, 900)
        files = {"contract.txt": b"signed, and secret " * 100, "photo.txt": b"not really a photo, secret"}
        for name, data in files.items():
            (tmp_path / name).write_bytes(data)
        sender.find_element(By.ID, "files").send_keys("\n".join(str(tmp_path / name) for name in files))
        wait_sent(sender)
        # The owner: names unknown until the passphrase opens the key; a wrong one says so.
        owner.get(f"{gateway.base}/me")
        field = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".request-e2e input[type=password]"))[0]
        assert "contract.txt" not in owner.find_element(By.ID, "me-requests").text
        for width in (1200, 375):
            audit(owner, width)
        owner.set_window_size(1200, 900)
        field.send_keys("not the passphrase")
        owner.find_element(By.CSS_SELECTOR, ".request-e2e button[type=submit]").click()
        wait.until(lambda d: d.find_element(By.ID, "me-status").text == "That passphrase does not open this request's key.")
        field = owner.find_element(By.CSS_SELECTOR, ".request-e2e input[type=password]")
        field.send_keys(passphrase)
        owner.find_element(By.CSS_SELECTOR, ".request-e2e button[type=submit]").click()
        try:
            WebDriverWait(owner, 60).until(lambda d: "contract.txt" in d.find_element(By.ID, "me-requests").text)
        except Exception:
            pytest.fail(owner.find_element(By.ID, "me-requests").text + " | " + owner.find_element(By.ID, "me-status").text + str(owner.get_log("browser")))
        for width in (1200, 375):
            audit(owner, width)
            owner.save_screenshot(str(SHOTS / f"request-encrypted-owner-{scheme}-{width}.png"))
        owner.set_window_size(1200, 900)
        downloads = tmp_path / f"downloads-{scheme}"
        downloads.mkdir()
        owner.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        owner.find_element(By.XPATH, "//button[starts-with(@aria-label, 'Download all 2 files')]").click()
        WebDriverWait(owner, 60).until(lambda _: sorted(p.name for p in downloads.iterdir() if not p.name.endswith(".crdownload")) == sorted(files))
        assert {p.name: p.read_bytes() for p in downloads.iterdir()} == files
    finally:
        owner.quit()
        sender.quit()
    # The CLI opens the key made on /me with the passphrase typed at its prompt.
    bob, _ = sign_in(gateway, user="bob")
    token = make_token(bob, gateway, name=f"cli {scheme}").json()["token"]
    env = cli_env(tmp_path)
    env["DROPGATE_TOKEN"] = token
    out = tmp_path / f"cli-{scheme}"
    # The link, not the bare id: an id may begin with "-" (base64url), which an argument parser reads as an option.
    argv = [dropgate_bin, "request", "download", link, "--passphrase-prompt", "--gateway", gateway.base, "-o", str(out)]
    code, said = typed_at_prompt(argv, env, passphrase.encode(), prompt=b"passphrase")
    assert code == 0, said
    (folder,) = list(out.iterdir())
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files and passphrase.encode() not in said
    code, said = typed_at_prompt(argv, env, b"wrong passphrase", prompt=b"passphrase")
    assert code != 0 and b"That passphrase does not open this request's key." in said
