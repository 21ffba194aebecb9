"""What an admin sees of every share, admin tokens, and the daily upload bound (issue 29), across two gateways on one
bucket, on the embedded store and on Ceph RGW 16."""
import concurrent.futures

import pytest
import requests

from gateway_fixtures import put_plan
from test_accounts import provider  # noqa: F401  (the provider fixture)
from test_accounts import sign_in
from test_accounts_two_gateways import csrf, gateways, signed_pair, uploaded  # noqa: F401  (the gateways fixture)


def token_share(gateway, token, name, data=b"x"):
    """A share made with a personal token, as curl or a script would."""
    bearer = {"Authorization": f"Bearer {token}"}
    plan = requests.post(f"{gateway.url}/api/uploads", json={"filename": name, "size": len(data), "contentType": "text/plain"}, headers=bearer)
    assert plan.status_code == 201, plan.text
    assert put_plan(plan.json(), data) == 200
    done = requests.post(f"{gateway.url}/api/uploads/{plan.json()['id']}/complete", json={}, headers=bearer)
    assert done.status_code == 201, done.text
    return done.json()["share"]["id"]


def test_an_admin_pages_through_every_share_with_an_admin_token(gateways):
    first, second = gateways.gateways
    ada, _ = sign_in(first)  # an admin
    bob, _ = sign_in(second, user="bob")
    # Only an admin may make an admin token, and it lasts one sign-in lifetime.
    refused = bob.post(f"{second.base}/api/me/tokens", json={"name": "root", "scopes": ["admin"]}, headers=csrf(bob, second))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "insufficient_scope"
    made = ada.post(f"{first.base}/api/me/tokens", json={"name": "ops", "scopes": ["admin"]}, headers=csrf(ada, first)).json()
    assert made["info"]["scopes"] == ["admin"] and made["info"]["expiresAt"]
    admin = {"Authorization": f"Bearer {made['token']}"}
    upload = bob.post(f"{second.base}/api/me/tokens", json={"name": "bulk", "scopes": ["upload"]}, headers=csrf(bob, second)).json()["token"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        made_ids = set(pool.map(lambda n: token_share(first if n % 2 else second, upload, f"bulk-{n}.txt"), range(53)))
    # Paged at the other gateway, 50 a page, in id order: every share once, each with its owner's name.
    seen, after = [], None
    while True:
        page = requests.get(f"{second.url}/api/admin/shares", params={"after": after} if after else {}, headers=admin)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["shares"]) <= 50
        seen += body["shares"]
        after = body.get("next")
        if not after:
            break
    ids = [row["share"]["id"] for row in seen]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) and made_ids <= set(ids)
    assert all(row["ownerName"] == "bob" for row in seen if row["share"]["id"] in made_ids)
    # The admin token revokes any share without a CSRF token (it is no cookie), and may not act as the admin's own shares.
    victim = sorted(made_ids)[0]
    assert requests.delete(f"{first.url}/api/shares/{victim}", headers=admin).status_code == 204
    assert requests.get(f"{second.url}/s/{victim}/raw", allow_redirects=False).status_code == 410
    mine = requests.get(f"{first.url}/api/me/shares", headers=admin)
    assert mine.status_code == 403 and mine.json()["error"]["code"] == "insufficient_scope"
    # bob's upload token is no admin token.
    assert requests.get(f"{first.url}/api/admin/shares", headers={"Authorization": f"Bearer {upload}"}).status_code == 403
    bad = requests.get(f"{first.url}/api/admin/shares", params={"after": "../x"}, headers=admin)
    assert bad.status_code == 400 and "after" in bad.json()["error"]["message"]
    # Revoked, the admin token stops at the other gateway at once.
    assert ada.delete(f"{first.base}/api/me/tokens/{made['info']['id']}", headers=csrf(ada, first)).status_code == 204
    assert requests.get(f"{second.url}/api/admin/shares", headers=admin).status_code == 401


@pytest.fixture(params=["embedded", "rgw"])
def daily(request, provider, dropgate_bin, tmp_path, rgw):  # noqa: F811
    running = signed_pair(request.param, provider, dropgate_bin, tmp_path, rgw, quota={"maxUploadsPerDay": 2})
    yield running
    running.stop()


def test_the_daily_upload_bound_holds_across_two_gateways_and_revoking_gives_nothing_back(daily):
    first, second = daily.gateways
    visitor, _ = sign_in(first, user="bob")
    done = visitor.post(f"{first.base}/api/uploads/{uploaded(visitor, first, 'a.txt', b'a')}/complete", json={})
    assert done.status_code == 201, done.text
    # One of today's two is left; two completions race for it, one at each gateway: exactly one wins.
    racing = [(first, uploaded(visitor, first, "b.txt", b"b")), (second, uploaded(visitor, second, "c.txt", b"c"))]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda job: requests.post(f"{job[0].base}/api/uploads/{job[1]}/complete", json={}), racing))
    assert sorted(a.status_code for a in answers) == [201, 403], [a.text for a in answers]
    refusal = next(a for a in answers if a.status_code == 403).json()["error"]
    assert refusal["code"] == "quota_exceeded" and "today" in refusal["message"]
    # Revoking a share frees a live-share slot, never one of today's.
    assert visitor.delete(f"{second.base}/api/shares/{done.json()['share']['id']}", headers=csrf(visitor, second)).status_code == 204
    again = visitor.post(f"{second.base}/api/uploads", json={"filename": "d.txt", "size": 1, "contentType": "text/plain"}, headers=csrf(visitor, second))
    assert again.status_code == 403 and "tomorrow" in again.json()["error"]["message"]
