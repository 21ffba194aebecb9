"""Adding files to a share and taking them out (issue 29), by its owner, across two gateways on one bucket, on the
embedded store and on Ceph RGW 16: the files' links, downloads and limits follow them, removed files' objects go,
and the owner's byte quota holds exactly when two additions race."""
import concurrent.futures

import pytest
import requests

from gateway_fixtures import put_plan
from test_accounts import gateway, provider, sign_in  # noqa: F401  (the provider and gateway fixtures)
from test_accounts_two_gateways import csrf, gateways, signed_pair  # noqa: F401  (the gateways fixture)
from test_share_races import s3_client


def receipt(visitor, gateway, name, data):
    """A verified upload of the visitor's, not yet shared: its receipt."""
    plan = visitor.post(f"{gateway.base}/api/uploads", json={"filename": name, "size": len(data), "contentType": "text/plain"},
                        headers=csrf(visitor, gateway))
    assert plan.status_code == 201, plan.text
    assert put_plan(plan.json(), data) == 200
    done = visitor.post(f"{gateway.base}/api/uploads/{plan.json()['id']}/complete", json={"collection": True})
    assert done.status_code == 200, done.text
    return done.json()["receipt"]


def single(visitor, gateway, name, data):
    plan = visitor.post(f"{gateway.base}/api/uploads", json={"filename": name, "size": len(data), "contentType": "text/plain"},
                        headers=csrf(visitor, gateway)).json()
    assert put_plan(plan, data) == 200
    return visitor.post(f"{gateway.base}/api/uploads/{plan['id']}/complete", json={}).json()["share"]


def edit(visitor, gateway, share, **change):
    return visitor.patch(f"{gateway.base}/api/shares/{share['id']}", json=change, headers=csrf(visitor, gateway))


def listed(visitor, gateway, share):
    return next(s for s in visitor.get(f"{gateway.base}/api/me/shares").json()["shares"] if s["id"] == share["id"])


def test_the_owner_adds_and_removes_files_and_every_gateway_follows(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(first, user="bob")
    share = single(bob, first, "a.txt", b"first file")
    link = lambda gateway: share["url"].replace(first.base, gateway.base)  # noqa: E731
    added = edit(bob, second, share, addFiles=[receipt(bob, second, "b.txt", b"second file"), receipt(bob, first, "c.txt", b"third file!")])
    assert added.status_code == 200, added.text
    assert added.json()["fileNames"] == ["a.txt", "b.txt", "c.txt"] and added.json()["size"] == 10 + 11 + 11
    assert "3 files" in requests.get(link(first)).text
    assert requests.get(f"{link(second)}/3/raw").content == b"third file!"
    assert requests.get(f"{link(first)}/2/raw").content == b"second file"
    # Taken out at one gateway: gone at the other, its object deleted; the others keep their downloads.
    before = {o["Key"] for o in s3_client(gateways.storage).list_objects_v2(Bucket=gateways.storage["bucket"]).get("Contents", [])}
    removed = edit(bob, first, share, removeFiles=[1])
    assert removed.status_code == 200 and removed.json()["fileNames"] == ["b.txt", "c.txt"] and removed.json()["size"] == 22
    after = {o["Key"] for o in s3_client(gateways.storage).list_objects_v2(Bucket=gateways.storage["bucket"]).get("Contents", [])}
    gone = before - after
    assert any(key.endswith("a.txt") for key in gone), gone
    assert requests.get(f"{link(second)}/1/raw").content == b"second file"  # b is file 1 now
    assert listed(bob, second, share)["downloads"] >= 1
    # A limit set now counts each file's downloads under whatever number it had: b was fetched twice, c once.
    assert edit(bob, second, share, maxDownloads=2).status_code == 200
    assert requests.get(f"{link(first)}/1/raw").status_code == 410
    assert [requests.get(f"{link(second)}/2/raw").status_code for _ in range(2)] == [200, 410]
    assert requests.get(link(first)).status_code == 410


def test_what_a_file_change_may_not_do(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(first, user="bob")
    ada, _ = sign_in(second)
    share = single(bob, first, "a.txt", b"bob's")
    other = single(bob, first, "taken.txt", b"shared elsewhere")
    cases = [
        ({"removeFiles": [2]}, 400, "bad_request"),
        ({"removeFiles": [1, 1]}, 400, "bad_request"),
        ({"removeFiles": [1]}, 400, "bad_request"),  # a share keeps one file
        ({"addFiles": ["not-a-receipt"]}, 400, "invalid_receipt"),
        ({"addFiles": [receipt(ada, second, "ada.txt", b"ada's")]}, 403, "not_your_upload"),
    ]
    for change, status, code in cases:
        answer = edit(bob, second, share, **change)
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), (change, answer.text)
    # A receipt whose upload another share serves is refused; the same receipt twice adds one file.
    plan = bob.post(f"{first.base}/api/uploads", json={"filename": "twice.txt", "size": 5, "contentType": "text/plain"},
                    headers=csrf(bob, first)).json()
    assert put_plan(plan, b"twice") == 200
    kept = bob.post(f"{first.base}/api/uploads/{plan['id']}/complete", json={"collection": True}).json()["receipt"]
    assert edit(bob, first, share, addFiles=[kept]).status_code == 200
    again = edit(bob, second, share, addFiles=[kept])
    assert again.status_code == 200 and again.json()["fileNames"] == ["a.txt", "twice.txt"]
    refused = edit(bob, first, other, addFiles=[kept])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "already_shared"
    assert requests.get(f"{share['url']}/2/raw").content == b"twice"


@pytest.fixture(params=["embedded", "rgw"])
def bounded(request, provider, dropgate_bin, tmp_path, rgw):  # noqa: F811
    running = signed_pair(request.param, provider, dropgate_bin, tmp_path, rgw, quota={"maxBytes": 40})
    yield running
    running.stop()


def test_two_additions_racing_for_the_last_bytes_exactly_one_lands(bounded):
    first, second = bounded.gateways
    bob, _ = sign_in(first, user="bob")
    share = single(bob, first, "a.txt", b"0123456789" * 2)  # 20 of 40 bytes
    racing = [(first, receipt(bob, first, "b.txt", b"b" * 15)), (second, receipt(bob, second, "c.txt", b"c" * 15))]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda job: edit(bob, job[0], share, addFiles=[job[1]]), racing))
    assert sorted(a.status_code for a in answers) == [200, 403], [a.text for a in answers]
    assert next(a for a in answers if a.status_code == 403).json()["error"]["code"] == "quota_exceeded"
    assert listed(bob, second, share)["size"] == 35
    # Removing gives the bytes back: the other file fits now.
    lost = next(job for job, a in zip(racing, answers) if a.status_code == 403)
    assert edit(bob, second, share, removeFiles=[2]).status_code == 200
    landed = edit(bob, first, share, addFiles=[lost[1]])
    assert landed.status_code == 200, landed.text
    assert landed.json()["size"] == 35


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_files_are_added_and_taken_out_from_the_me_page(gateway, tmp_path, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from test_accessibility import audit
    from test_accounts import chromium, sign_in_in
    browser = chromium(scheme)
    try:
        wait = sign_in_in(browser, gateway, "bob")
        first = tmp_path / "first.txt"
        first.write_bytes(b"the first file")
        browser.find_element(By.ID, "files").send_keys(str(first))
        link = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
        browser.get(f"{gateway.base}/me")
        row = lambda: wait.until(lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#me-shares .mine-item") if "first.txt" in r.text])[0]  # noqa: E731
        row().find_element(By.LINK_TEXT, "Add files").click()
        wait.until(lambda d: "added to your share" in d.find_element(By.ID, "add-to").text)
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        second = tmp_path / "second.txt"
        second.write_bytes(b"added from the page")
        browser.find_element(By.ID, "files").send_keys(str(second))
        added = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
        assert added == link and requests.get(f"{link}/2/raw").content == b"added from the page"
        browser.get(f"{gateway.base}/me")
        assert "first.txt and 1 more file" in row().text
        row().find_element(By.TAG_NAME, "summary").click()
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        row().find_element(By.XPATH, ".//label[text()='first.txt']").click()
        row().find_element(By.XPATH, ".//button[text()='Save']").click()
        wait.until(lambda d: "Changed" in d.find_element(By.ID, "me-status").text)
        assert requests.get(f"{link}/raw").content == b"added from the page"
        assert "second.txt" in requests.get(link).text and "first.txt" not in requests.get(link).text
    finally:
        browser.quit()
