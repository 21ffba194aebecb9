"""The admin's view of accounts, disabling an account, and signing out everywhere (issue 29), across two gateways on
one bucket, on the embedded store and on Ceph RGW 16: a disabled user loses a live session and a token at once,
on the other gateway too."""
import time

import requests

from gateway_fixtures import put_plan
from test_accounts import me, provider, sign_in  # noqa: F401  (the provider fixture)
from test_accounts_two_gateways import csrf, gateways  # noqa: F401  (the gateways fixture)

def share(visitor, gateway, data=b"kept by bob"):
    plan = visitor.post(f"{gateway.base}/api/uploads", json={"filename": "bob.txt", "size": len(data), "contentType": "text/plain"},
                        headers=csrf(visitor, gateway)).json()
    assert put_plan(plan, data) == 200
    return visitor.post(f"{gateway.base}/api/uploads/{plan['id']}/complete", json={}).json()["share"]


def eventually(check, seconds=3):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time every gateway takes to see a change"
        time.sleep(0.1)


def test_an_admin_lists_accounts_and_a_disabled_user_stops_at_once_everywhere(gateways):
    first, second = gateways.gateways
    admin, _ = sign_in(first)  # ada is in dropgate-admins
    bob, _ = sign_in(first, user="bob")
    kept = share(bob, first)
    other = share(bob, first, b"another of bob's")
    token = bob.post(f"{first.base}/api/me/tokens", json={"name": "script", "scopes": ["upload", "shares"]}, headers=csrf(bob, first)).json()["token"]
    assert bob.get(f"{second.base}/api/admin/users").status_code == 403  # not an admin
    users = admin.get(f"{second.base}/api/admin/users").json()["users"]
    listed = {u["name"]: u for u in users}
    assert {"ada", "bob"} <= set(listed) and listed["bob"]["shares"] >= 2 and listed["bob"]["bytes"] >= 27
    bob_id = listed["bob"]["id"]
    # An admin revokes any share.
    assert admin.delete(f"{first.base}/api/shares/{other['id']}", headers=csrf(admin, first)).status_code == 204
    # Disabled at one gateway: the session and the token stop at the other within a second; the shares are revoked.
    assert admin.post(f"{first.base}/api/admin/users/{bob_id}/disable", json={"revokeShares": True}).status_code == 403  # no CSRF token
    assert admin.post(f"{first.base}/api/admin/users/{bob_id}/disable", json={"revokeShares": True}, headers=csrf(admin, first)).status_code == 204
    eventually(lambda: me(bob, second)["signedIn"] is False)
    refused = requests.post(f"{second.url}/api/uploads", json={"filename": "a.txt", "size": 1}, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account_disabled"
    assert requests.get(kept["url"]).status_code == 410
    again = requests.Session()
    from test_accounts import to_callback
    page = again.get(to_callback(again, second, user="bob"), allow_redirects=False)
    assert page.status_code == 403 and "disabled" in page.text
    # Enabled again: bob signs in and the token works.
    assert admin.post(f"{second.base}/api/admin/users/{bob_id}/enable", headers=csrf(admin, second)).status_code == 204
    eventually(lambda: requests.post(f"{first.url}/api/uploads", json={"filename": "a.txt", "size": 1, "contentType": "text/plain"},
                                     headers={"Authorization": f"Bearer {token}"}).status_code == 201)
    assert me(bob, first)["signedIn"] is False  # the session the disabling ended stays ended
    sign_in(second, user="bob")


def test_signing_out_everywhere_ends_every_session_of_the_account(gateways):
    first, second = gateways.gateways
    laptop, _ = sign_in(first, user="bob")
    phone, _ = sign_in(second, user="bob")
    assert me(laptop, second)["signedIn"] and me(phone, first)["signedIn"]
    assert phone.post(f"{second.base}/auth/logout-everywhere").status_code == 403  # no CSRF token
    out = phone.post(f"{second.base}/auth/logout-everywhere", headers=csrf(phone, second))
    assert out.status_code == 200
    eventually(lambda: me(laptop, first)["signedIn"] is False and me(laptop, second)["signedIn"] is False)
    assert laptop.post(f"{first.base}/api/uploads", json={"filename": "a.txt", "size": 1}).status_code == 401
    fresh, _ = sign_in(first, user="bob")
    assert me(fresh, second)["signedIn"] is True


def test_a_token_revoked_at_one_gateway_is_refused_at_the_other_at_once(gateways):
    first, second = gateways.gateways
    bob, _ = sign_in(first, user="bob")
    made = bob.post(f"{first.base}/api/me/tokens", json={"name": "ci", "scopes": ["upload"]}, headers=csrf(bob, first)).json()
    declare = lambda gateway: requests.post(f"{gateway.url}/api/uploads", json={"filename": "a.txt", "size": 1, "contentType": "text/plain"},  # noqa: E731
                                            headers={"Authorization": f"Bearer {made['token']}"}).status_code
    assert declare(second) == 201
    assert bob.delete(f"{first.base}/api/me/tokens/{made['info']['id']}", headers=csrf(bob, first)).status_code == 204
    assert declare(second) == 401 and declare(first) == 401  # no cache: the very next request is refused everywhere
