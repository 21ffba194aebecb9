"""Signed webhooks (issue 31) against a real receiver that verifies every delivery with the Standard Webhooks
reference library, on two gateways of one bucket, on the embedded store and on Ceph RGW 16: each event arrives once,
with the same id through retries; a loopback target is refused without the allowlist; a gateway killed with events
queued delivers them after it restarts; no event carries a secret."""
import base64
import concurrent.futures
import json
import os
import signal
import uuid

import pytest
import requests

from gateway_fixtures import Gateway, put_plan, rgw_storage
from test_share_races import Pair, s3_client
from webhook_receiver import Receiver

SECRET = "whsec_" + base64.b64encode(b"dropgate-webhook-test-key-0123").decode()


def hooked_settings(receiver, **more):
    return {"url": receiver.url, "secret": SECRET, "allowHTTP": True, "allowedTargets": ["127.0.0.1"], "firstRetry": 1, "interval": 1, **more}


@pytest.fixture(params=["embedded", "rgw"])
def hooked(request, dropgate_bin, tmp_path):
    """Two gateways of one bucket whose deployment endpoint is a receiver that answers 500 twice, then 200."""
    receiver = Receiver(SECRET, failures=2)
    running = Pair(request.param, dropgate_bin, tmp_path, request.getfixturevalue("rgw") if request.param == "rgw" else None,
                   webhooks=hooked_settings(receiver))
    yield running, receiver
    running.stop()
    receiver.stop()


def share(gateway, data, **terms):
    plan = gateway.create(filename="report.txt", size=len(data), contentType="text/plain", **terms).json()
    assert put_plan(plan, data) == 200
    done = gateway.complete(plan["id"])
    assert done.status_code == 201, done.text
    return done.json()


def test_each_event_arrives_once_signed_with_one_id_through_retries(hooked):
    pair, receiver = hooked
    first, second = pair.gateways
    made = share(first, b"quarterly numbers", maxDownloads=1)
    share_id, token = made["share"]["id"], made["deleteToken"]
    # The one download, raced from both gateways by many clients: one wins, one event of each kind.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: requests.get(f"{pair.gateways[i % 2].url}/s/{share_id}/raw").status_code, range(8)))
    assert statuses.count(200) == 1
    # Revoked at both gateways at once.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda g: requests.delete(f"{g.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {token}"}), pair.gateways))
    kinds = ["upload.completed", "share.created", "share.downloaded", "share.download_limit_reached", "share.revoked"]
    got = receiver.wait_for(lambda got: sorted(b["type"] for _, b in got) == sorted(kinds))
    ids = [i for i, _ in got]
    assert len(set(ids)) == len(ids) == 5
    # The first two answers were 500: those attempts carried the id that then arrived, with a valid signature each time.
    failed = [h["webhook-id"] for h, _, status, verified in receiver.requests if status == 500 and verified]
    assert len(failed) == 2 and set(failed) <= set(ids)
    by_type = {b["type"]: b for _, b in got}
    assert by_type["share.downloaded"]["data"]["receipt"] == "transfer_started" and by_type["share.downloaded"]["data"]["downloads"] == 1
    assert by_type["share.created"]["data"]["url"].endswith(f"/s/{share_id}") and by_type["share.created"]["data"]["title"] == "report.txt"
    # Nothing of a secret: no delete token, no gateway secret, no fragment.
    everything = json.dumps([b for _, b in got])
    assert token not in everything and "#" not in everything and "races-test-gateway-secret" not in everything
    # Some time on, nothing more arrives (no duplicate from the other gateway, or from a retry).
    import time
    time.sleep(3)
    assert len(receiver.delivered()) == 5


def test_a_loopback_target_is_refused_without_the_allowlist(dropgate_bin, tmp_path):
    receiver = Receiver(SECRET)
    gateway = Gateway(dropgate_bin, tmp_path, webhooks={"url": receiver.url, "secret": SECRET, "allowHTTP": True, "firstRetry": 1, "interval": 1})
    try:
        share(gateway, b"private")
        storage = gateway.settings["storage"]
        client = s3_client({"endpoint": f"http://127.0.0.1:{gateway.store_port}", "accessKeyId": storage["accessKeyId"],
                            "secretAccessKey": storage["secretAccessKey"], "region": storage["region"]})
        import time
        deadline = time.monotonic() + 30
        log = []
        while time.monotonic() < deadline and not log:
            try:
                log = json.loads(client.get_object(Bucket=storage["bucket"], Key=".dropgate/webhooks/log/deployment.json")["Body"].read())
            except client.exceptions.NoSuchKey:
                time.sleep(0.3)
        assert log and "127.0.0.1, a loopback address: refused" in log[0]["error"], log
        assert receiver.requests == []
    finally:
        gateway.stop()
        receiver.stop()


@pytest.mark.parametrize("kind", ["embedded", "rgw"])
def test_a_gateway_killed_with_events_queued_delivers_them_after_it_restarts(dropgate_bin, tmp_path, kind, request):
    receiver = Receiver(SECRET, failures=10**6)  # down: every attempt fails until it comes back
    storage = None
    if kind == "rgw":
        storage = rgw_storage(request.getfixturevalue("rgw"))
        storage["bucket"] = f"hooks-{uuid.uuid4().hex[:12]}"
        s3_client(storage).create_bucket(Bucket=storage["bucket"])
    settings = {"webhooks": hooked_settings(receiver), "gateway": {"secret": "webhook-restart-secret-0123456789abcdef"}}
    gateway = Gateway(dropgate_bin, tmp_path, storage=storage, **settings)
    try:
        made = share(gateway, b"sent before the crash")
        receiver.wait_for(lambda _: len(receiver.requests) >= 1)
        os.kill(gateway.process.pid, signal.SIGKILL)
        gateway.process.wait(timeout=30)
        receiver.failures = 0
        gateway = Gateway(dropgate_bin, tmp_path, storage=storage, **settings)
        got = receiver.wait_for(lambda got: {"upload.completed", "share.created"} <= {b["type"] for _, b in got}, timeout=60)
        assert [b["data"]["share"] for _, b in got if b["type"] == "share.created"] == [made["share"]["id"]]
    finally:
        gateway.stop()
        receiver.stop()
