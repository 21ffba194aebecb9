"""An account's shares and quota across two gateways on one bucket, on the embedded store and on Ceph RGW 16
(issue 29): signed in at one, seen and bounded at the other, and two completions racing for the account's last
share slot on the two gateways: exactly one wins."""
import concurrent.futures
import uuid

import pytest
import requests

from gateway_fixtures import put_plan
from test_accounts import me, provider, sign_in  # noqa: F401  (the provider fixture)
from test_share_races import Pair

CLIENT_SECRET = "two-gateways-client-secret"


def signed_pair(kind, provider, dropgate_bin, tmp_path, rgw, **auth):  # noqa: F811
    """Two gateways on one bucket (embedded or RGW) whose users sign in with the test provider."""
    client_id = f"pair-{kind}-{uuid.uuid4().hex[:6]}"
    oidc = {"issuer": provider.issuer, "clientId": client_id, "clientSecret": CLIENT_SECRET, "allowLoopbackHTTP": True,
            "allowedGroups": ["staff"], "adminGroup": "dropgate-admins"}
    running = Pair(kind, dropgate_bin, tmp_path, rgw, auth={"uploads": "login", "oidc": oidc, **auth})
    for gateway in running.gateways:
        gateway.base = gateway.settings["gateway"]["publicURL"]
    provider.add_client(client_id, CLIENT_SECRET, " ".join(f"{g.base}/auth/callback" for g in running.gateways))
    return running


@pytest.fixture(params=["embedded", "rgw"])
def pair(request, provider, dropgate_bin, tmp_path, rgw):  # noqa: F811
    running = signed_pair(request.param, provider, dropgate_bin, tmp_path, rgw, quota={"maxShares": 2})
    yield running
    running.stop()


@pytest.fixture(params=["embedded", "rgw"])
def gateways(request, provider, dropgate_bin, tmp_path, rgw):  # noqa: F811
    """Two signed-in gateways on one bucket, on each store."""
    running = signed_pair(request.param, provider, dropgate_bin, tmp_path, rgw)
    yield running
    running.stop()


def csrf(visitor, gateway):
    """The CSRF header of the visitor's session at `gateway`."""
    return {"X-CSRF-Token": me(visitor, gateway)["csrfToken"]}


def declare(visitor, gateway, name, data):
    token = me(visitor, gateway)["csrfToken"]
    answer = visitor.post(f"{gateway.base}/api/uploads", json={"filename": name, "size": len(data), "contentType": "text/plain"},
                          headers={"X-CSRF-Token": token})
    return answer


def uploaded(visitor, gateway, name, data):
    plan = declare(visitor, gateway, name, data)
    assert plan.status_code == 201, plan.text
    assert put_plan(plan.json(), data) == 200
    return plan.json()["id"]


def test_an_accounts_shares_and_quota_hold_across_two_gateways(pair):
    first, second = pair.gateways
    visitor, _ = sign_in(first)  # one session cookie, valid at every gateway of the bucket (they share gateway.secret)
    done = visitor.post(f"{first.base}/api/uploads/{uploaded(visitor, first, 'a.txt', b'a')}/complete", json={})
    assert done.status_code == 201, done.text
    listed = visitor.get(f"{second.base}/api/me/shares").json()
    assert [s["id"] for s in listed["shares"]] == [done.json()["share"]["id"]]
    # One share slot is left; two uploads race for it, completed at the two gateways at once: exactly one wins.
    racing = [(first, uploaded(visitor, first, "b.txt", b"b")), (second, uploaded(visitor, second, "c.txt", b"c"))]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda job: requests.post(f"{job[0].base}/api/uploads/{job[1]}/complete", json={}), racing))
    assert sorted(a.status_code for a in answers) == [201, 403], [a.text for a in answers]
    assert next(a for a in answers if a.status_code == 403).json()["error"]["code"] == "quota_exceeded"
    assert declare(visitor, second, "d.txt", b"d").status_code == 403  # full, as either gateway sees it
    listed = visitor.get(f"{first.base}/api/me/shares").json()
    assert listed["total"] == 2 and len(listed["shares"]) == 2
    # Revoked at one gateway, the slot is free at the other.
    revoked = visitor.delete(f"{second.base}/api/shares/{done.json()['share']['id']}", headers={"X-CSRF-Token": me(visitor, second)["csrfToken"]})
    assert revoked.status_code == 204
    assert declare(visitor, first, "e.txt", b"e").status_code == 201
