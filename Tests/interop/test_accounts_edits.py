"""Editing a share after it is made (issue 29): its expiry, download limit and password, by its owner, across two
gateways on one bucket, on the embedded store and on Ceph RGW 16; bounded like creation and kept with who and when."""
import concurrent.futures
import time

import requests

from gateway_fixtures import put_plan
from test_accounts import provider, sign_in  # noqa: F401  (the provider fixture)
from test_accounts_two_gateways import csrf, gateways  # noqa: F401  (the gateways fixture)


def owned_share(visitor, gateway, **terms):
    data = b"edited later"
    plan = visitor.post(f"{gateway.base}/api/uploads", json={"filename": "terms.txt", "size": len(data), "contentType": "text/plain", **terms},
                        headers=csrf(visitor, gateway)).json()
    assert put_plan(plan, data) == 200
    return visitor.post(f"{gateway.base}/api/uploads/{plan['id']}/complete", json={}).json()["share"]


def edit(visitor, gateway, share, **change):
    return visitor.patch(f"{gateway.base}/api/shares/{share['id']}", json=change, headers=csrf(visitor, gateway))


def test_the_owner_changes_limit_expiry_and_password_and_every_gateway_follows(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(first, user="bob")
    share = owned_share(bob, first, maxDownloads=2)
    raw = f"{share['url']}/raw"
    assert requests.get(raw).status_code == 200  # one of two
    raised = edit(bob, second, share, maxDownloads=3)
    assert raised.status_code == 200 and raised.json()["maxDownloads"] == 3
    assert [requests.get(raw.replace(first.base, second.base)).status_code for _ in range(3)] == [200, 200, 410]
    # A used-up share is dead: it is not revived by an edit.
    assert edit(bob, first, share, maxDownloads=10).status_code == 410
    other = owned_share(bob, second)
    before = next(s for s in bob.get(f"{first.base}/api/me/shares").json()["shares"] if s["id"] == other["id"])
    longer = edit(bob, first, other, expiresIn=30 * 86_400)
    assert longer.status_code == 200
    listed = {s["id"]: s for s in bob.get(f"{second.base}/api/me/shares").json()["shares"]}
    assert listed[other["id"]]["expiresAt"] == longer.json()["expiresAt"] and listed[other["id"]]["expiresAt"] > before["expiresAt"]
    # A password: the page asks for it at both gateways; a browser that opened it is locked out once it changes.
    assert edit(bob, second, other, password="sesame").status_code == 200
    visitor = requests.Session()
    assert 'name="password"' in visitor.get(other["url"]).text
    assert visitor.post(f"{other['url']}/unlock", data={"password": "sesame"}).status_code == 200
    assert 'name="password"' not in visitor.get(other["url"].replace(first.base, second.base)).text
    assert edit(bob, first, other, password="another").status_code == 200
    assert 'name="password"' in visitor.get(other["url"]).text
    assert edit(bob, first, other, clearPassword=True).status_code == 200
    assert requests.get(f"{other['url']}/raw").content == b"edited later"
    # Shortened to a second: gone at both gateways.
    assert edit(bob, second, other, expiresIn=1).status_code == 200
    time.sleep(2)
    assert requests.get(other["url"]).status_code == 410 and requests.get(other["url"].replace(first.base, second.base)).status_code == 410


def test_two_devices_editing_at_once_both_land(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(first, user="bob")
    share = owned_share(bob, first)
    token = csrf(bob, first)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda job: bob.patch(f"{job[0].base}/api/shares/{share['id']}", json=job[1], headers=token),
                                [(first, {"maxDownloads": 5}), (second, {"password": "both"})]))
    assert [a.status_code for a in answers] == [200, 200]
    listed = next(s for s in bob.get(f"{first.base}/api/me/shares").json()["shares"] if s["id"] == share["id"])
    assert listed["maxDownloads"] == 5 and listed["password"] is True


def test_edits_are_the_owners_and_bounded_like_creation(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(first, user="bob")
    share = owned_share(bob, first)
    assert bob.patch(f"{first.base}/api/shares/{share['id']}", json={"maxDownloads": 3}).status_code == 403  # no CSRF token
    ada, _ = sign_in(second)
    assert edit(ada, second, share, maxDownloads=3).status_code == 403  # not hers
    for change, code in [({"expiresIn": 0}, "invalid_expiry"), ({"expiresIn": 10 ** 12}, "invalid_expiry"),
                         ({"maxDownloads": 0}, "invalid_max_downloads"), ({"maxDownloads": 2, "unlimited": True}, "invalid_max_downloads"),
                         ({"password": "a", "clearPassword": True}, "invalid_password"), ({"password": ""}, "invalid_password"),
                         ({}, "bad_request"), ({"colour": "red"}, "unknown_field")]:
        answer = edit(bob, first, share, **change)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == code, (change, answer.text)
    assert requests.patch(f"{first.url}/api/shares/{share['id']}", json={"maxDownloads": 3}).status_code == 401


def test_a_limit_set_later_counts_the_downloads_made_before_it(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(second, user="bob")
    share = owned_share(bob, second)  # unlimited
    raw = lambda gateway: share["url"].replace(first.base, gateway.base).replace(second.base, gateway.base) + "/raw"  # noqa: E731
    assert [requests.get(raw(g)).status_code for g in (first, second)] == [200, 200]
    limited = edit(bob, first, share, maxDownloads=3)
    assert limited.status_code == 200 and limited.json()["downloads"] == 2
    # Two were made while it was unlimited: one of the three is left, raced for at both gateways.
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda n: requests.get(raw((first, second)[n % 2])).status_code, range(6)))
    assert sorted(codes) == [200] + [410] * 5, codes
    # Lifted, then limited again: every download so far counts against the new limit.
    assert edit(bob, second, share, maxDownloads=5).status_code == 410  # used up: not revived
    other = owned_share(bob, first, maxDownloads=2)
    assert requests.get(raw(first).replace(share["id"], other["id"])).status_code == 200
    assert edit(bob, first, other, unlimited=True).json()["downloads"] == 1
    assert requests.get(raw(second).replace(share["id"], other["id"])).status_code == 200
    again = edit(bob, second, other, maxDownloads=3)
    assert again.status_code == 200 and again.json()["downloads"] == 2
    assert [requests.get(raw(first).replace(share["id"], other["id"])).status_code for _ in range(2)] == [200, 410]
    listed = {s["id"]: s for s in bob.get(f"{first.base}/api/me/shares").json()["shares"]}
    assert listed[other["id"]]["downloads"] == 3 and listed[other["id"]]["unavailable"]
