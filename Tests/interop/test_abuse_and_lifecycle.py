"""Issue 13 over HTTP, against `dropgate serve` processes: limits per client address (from distinct loopback
addresses), the sweep inside serve on the embedded store and on Ceph RGW, two gateways sweeping one bucket, a
token's quota across two gateways, metrics on their own listener, and the store's refusal of a public address
with the development key."""
import concurrent.futures
import http.client
import json
import os
import subprocess
import time
import urllib.parse
import uuid

import boto3
import pytest
import requests
from botocore.config import Config

from conftest import ROOT, free_port
from gateway_fixtures import Gateway, put_plan, rgw_storage
from store_fixtures import wait_until

SECRET = "lifecycle-test-gateway-secret-0123456789abcdef"
FAST = {"lifecycle": {"interval": 1, "orphanGrace": 1, "shareGrace": 1, "tombstoneRetention": 4},
        "gateway": {"secret": SECRET}}


def post_from(source, url, body, headers=None):
    """POSTs JSON from the loopback address `source`; (status, Retry-After, decoded body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, source_address=(source, 0), timeout=10)
    try:
        connection.request("POST", parts.path, body=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After"), json.loads(response.read() or b"{}")
    finally:
        connection.close()


def s3_client(storage):
    return boto3.client("s3", endpoint_url=storage["endpoint"], aws_access_key_id=storage["accessKeyId"],
                        aws_secret_access_key=storage["secretAccessKey"], region_name=storage.get("region", "us-east-1"),
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


@pytest.fixture(params=["embedded", "rgw"])
def store_kind(request):
    return request.param


def storage_for(kind, request_rgw):
    """None (the gateway's embedded store) or a fresh bucket on RGW, so counts are this test's alone."""
    if kind == "embedded":
        return None
    storage = rgw_storage(request_rgw)
    storage["bucket"] = f"sweep-{uuid.uuid4().hex[:12]}"
    s3_client(storage).create_bucket(Bucket=storage["bucket"])
    return storage


def external(gateway):
    """Storage settings for a second gateway on `gateway`'s store and bucket."""
    storage = dict(gateway.settings["storage"])
    if storage["mode"] == "embedded":
        endpoint = f"http://127.0.0.1:{gateway.store_port}"
        storage = {"mode": "external", "endpoint": endpoint, "publicEndpoint": endpoint, "region": storage["region"],
                   "bucket": storage["bucket"], "accessKeyId": storage["accessKeyId"], "secretAccessKey": storage["secretAccessKey"]}
    return storage


def bucket_of(gateway):
    storage = external(gateway)
    return s3_client(storage), storage["bucket"]


def share(gateway, name, data, headers=None, **declared):
    """Declares, PUTs and completes; the completion's response."""
    planned = requests.post(f"{gateway.url}/api/uploads", json={"filename": name, "size": len(data), "contentType": "text/plain", **declared},
                            headers=headers or {})
    if planned.status_code != 201:
        return planned
    plan = planned.json()
    assert put_plan(plan, data) == 200
    return gateway.complete(plan["id"])


def keys(s3, bucket, prefix):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def wait_for(condition, seconds=40):
    return wait_until(condition, timeout=seconds) or condition()


def counter(text, kind):
    for line in text.splitlines():
        if line.startswith(f'dropgate_lifecycle_deleted_total{{kind="{kind}"}}'):
            return int(float(line.split()[-1]))
    return 0


def test_a_burst_from_one_address_gets_429_while_another_is_served(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, limits={"uploadsPerMinute": 5})
    try:
        body = {"filename": "a.txt", "size": 3, "contentType": "text/plain"}
        url = f"{gateway.url}/api/uploads"
        assert [post_from("127.0.0.2", url, body)[0] for _ in range(5)] == [201] * 5
        status, retry_after, answer = post_from("127.0.0.2", url, body)
        assert status == 429 and answer["error"]["code"] == "rate_limited" and int(retry_after) >= 1
        assert "at most 5 a minute" in answer["error"]["message"]
        assert post_from("127.0.0.3", url, body)[0] == 201
    finally:
        gateway.stop()


def test_pending_bytes_are_bounded_per_address_and_released_by_completion(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, limits={"pendingBytesPerClient": 100}, uploads={"maxBytes": 100})
    try:
        body = {"filename": "a.txt", "size": 60, "contentType": "text/plain"}
        url = f"{gateway.url}/api/uploads"
        status, _, plan = post_from("127.0.0.2", url, body)
        assert status == 201
        status, retry_after, answer = post_from("127.0.0.2", url, body)
        assert status == 429 and "not finished yet" in answer["error"]["message"] and int(retry_after) >= 1
        assert post_from("127.0.0.3", url, body)[0] == 201
        assert put_plan(plan, b"p" * 60) == 200 and gateway.complete(plan["id"]).status_code == 201
        assert post_from("127.0.0.2", url, body)[0] == 201
    finally:
        gateway.stop()


def test_the_cli_shows_the_limit_in_plain_words(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, limits={"uploadsPerMinute": 1})
    try:
        file = tmp_path / "f.txt"
        file.write_text("limited")
        first = subprocess.run([dropgate_bin, "upload", str(file), "--gateway", gateway.url], capture_output=True, text=True, timeout=60)
        assert first.returncode == 0, first.stderr
        second = subprocess.run([dropgate_bin, "upload", str(file), "--gateway", gateway.url], capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and "Too many uploads from your address: at most 1 a minute" in second.stderr
    finally:
        gateway.stop()


def test_the_sweep_removes_what_uploads_left_and_what_dead_shares_kept(dropgate_bin, tmp_path, store_kind, request):
    storage = storage_for(store_kind, request.getfixturevalue("rgw") if store_kind == "rgw" else None)
    gateway = Gateway(dropgate_bin, tmp_path, storage=storage, uploads={"presignExpiry": 3, "resumeWindow": 3, "multipartThreshold": 6 * 1024 * 1024,
                                                                          "partSize": 5 * 1024 * 1024}, **FAST)
    try:
        s3, bucket = bucket_of(gateway)
        left = gateway.create(filename="left.txt", size=4, contentType="text/plain").json()
        assert put_plan(left, b"left") == 200
        big = gateway.create(filename="big.bin", size=6 * 1024 * 1024 + 1, contentType="application/zip").json()
        first_part = big["multipart"]["parts"][0]
        assert requests.put(first_part["url"], data=b"z" * big["multipart"]["partSize"]).status_code == 200
        dead = share(gateway, "dead.txt", b"dead", expiresIn=5)  # long enough for a completion on a slow machine
        live = share(gateway, "live.txt", b"live", expiresIn=3600)
        assert dead.status_code == 201 and live.status_code == 201
        dead_page = dead.json()["share"]["url"].replace("http://localhost", "http://127.0.0.1")
        live_page = live.json()["share"]["url"].replace("http://localhost", "http://127.0.0.1")

        def swept():
            uploads = [u for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) if u["Key"] == big["key"]]
            shared = keys(s3, bucket, "shared/")
            return left["key"] not in keys(s3, bucket, "uploads/") and not uploads and len(shared) == 1
        assert wait_for(swept), (keys(s3, bucket, ""), s3.list_multipart_uploads(Bucket=bucket).get("Uploads"))
        page = requests.get(dead_page)
        assert page.status_code == 410 and "This share has expired." in page.text
        served = requests.get(live_page + "/raw")
        assert served.status_code == 200 and served.content == b"live"
        def counts():
            metrics = requests.get(gateway.metrics_url).text
            return counter(metrics, "orphan"), counter(metrics, "multipart"), counter(metrics, "share_objects")
        assert wait_for(lambda: counts() == (1, 1, 1)), counts()  # each deletion is counted as it happens
        assert wait_for(lambda: requests.get(dead_page).status_code == 404)  # the tombstone is gone too
        assert requests.get(live_page).status_code == 200
    finally:
        gateway.stop()


def test_two_gateways_sweeping_one_bucket_delete_each_thing_once(dropgate_bin, tmp_path, store_kind, request):
    storage = storage_for(store_kind, request.getfixturevalue("rgw") if store_kind == "rgw" else None)
    settings = dict(uploads={"presignExpiry": 2, "resumeWindow": 2}, **FAST)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = Gateway(dropgate_bin, tmp_path / "one", storage=storage, **settings)
    second = Gateway(dropgate_bin, tmp_path / "two", storage=external(first), **settings)
    try:
        s3, bucket = bucket_of(first)
        for index in range(12):
            gateway = first if index % 2 else second
            plan = gateway.create(filename=f"o{index}.txt", size=2, contentType="text/plain").json()
            assert put_plan(plan, b"oo") == 200
        lives = [share(first, "live1.txt", b"one", expiresIn=3600), share(second, "live2.txt", b"two", expiresIn=3600)]
        assert all(done.status_code == 201 for done in lives)
        def total():
            return sum(counter(requests.get(g.metrics_url).text, "orphan") for g in (first, second))
        assert wait_for(lambda: not keys(s3, bucket, "uploads/") and total() >= 12)
        time.sleep(2)  # another pass each, which must find nothing more
        assert total() == 12
        assert len(keys(s3, bucket, "shared/")) == 2
        for done in lives:
            assert requests.get(done.json()["share"]["url"].replace("http://localhost", "http://127.0.0.1") + "/raw").status_code == 200
    finally:
        second.stop()
        first.stop()


def test_a_tokens_quota_holds_across_two_gateways(dropgate_bin, tmp_path, store_kind, request):
    storage = storage_for(store_kind, request.getfixturevalue("rgw") if store_kind == "rgw" else None)
    settings = dict(auth={"uploadTokens": ["quota-token-0123456789abcdef"], "quota": {"maxShares": 3}}, gateway={"secret": SECRET})
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = Gateway(dropgate_bin, tmp_path / "one", storage=storage, **settings)
    second = Gateway(dropgate_bin, tmp_path / "two", storage=external(first), **settings)
    bearer = {"Authorization": "Bearer quota-token-0123456789abcdef"}
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda i: share((first, second)[i % 2], f"q{i}.txt", b"quota %d" % i, headers=bearer), range(8)))
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses.count(201) == 3 and statuses.count(403) == 5, statuses
        assert all(a.json()["error"]["code"] == "quota_exceeded" for a in answers if a.status_code == 403)
        usage = requests.get(f"{second.url}/api/usage", headers=bearer).json()
        assert usage == {"bytes": sum(len(b"quota %d" % i) for i, a in enumerate(answers) if a.status_code == 201), "shares": 3, "maxShares": 3, "sharesToday": 3}
    finally:
        second.stop()
        first.stop()


def test_metrics_listen_on_their_own_address(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, metrics={"port": 0, "token": "metrics-token-0123456789"})
    try:
        assert requests.get(gateway.metrics_url).status_code == 200
        assert requests.get(f"{gateway.url}/metrics").status_code == 404
        with_token = requests.get(f"{gateway.url}/metrics", headers={"Authorization": "Bearer metrics-token-0123456789"})
        assert with_token.status_code == 200 and "dropgate_http_requests_total" in with_token.text
        assert requests.get(gateway.metrics_url.replace("/metrics", "/other")).status_code == 404
    finally:
        gateway.stop()


def test_the_store_refuses_a_public_address_with_the_development_key(dropgate_bin, tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    result = subprocess.run([dropgate_bin, "store", "--host", "0.0.0.0", "--port", str(free_port()), "--data", str(tmp_path / "d")],
                            env=clean, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "built-in development key" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    settings = tmp_path / "s.json"
    settings.write_text(json.dumps({"storage": {"host": "0.0.0.0", "port": free_port(), "accessKeyId": "dropgate-dev-key",
                                                "secretAccessKey": "dropgate-dev-secret-do-not-use-in-production",
                                                "dataDirectory": str(tmp_path / "d2")}, "gateway": {"port": free_port()},
                                    "metrics": {"port": 0}}))
    served = subprocess.run([dropgate_bin, "serve", "--settings", str(settings), "--web", str(ROOT / "web")], env=clean,
                            capture_output=True, text=True, timeout=30)
    assert served.returncode == 2 and "built-in development key" in served.stderr


def test_a_black_holed_store_costs_a_request_at_most_the_deadline(dropgate_bin, tmp_path):
    """A store that accepts connections and never answers: every store call gives up after storage.requestTimeout."""
    import socket
    import threading
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(64)
    held = []
    stop = threading.Event()

    def accept():
        hole.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(hole.accept()[0])
            except OSError:
                continue
    threading.Thread(target=accept, daemon=True).start()
    endpoint = f"http://127.0.0.1:{hole.getsockname()[1]}"
    storage = {"mode": "external", "endpoint": endpoint, "publicEndpoint": endpoint, "region": "us-east-1", "bucket": "hole",
               "accessKeyId": "hole-key", "secretAccessKey": "hole-secret", "requestTimeout": 1}
    gateway = Gateway(dropgate_bin, tmp_path, storage=storage, lifecycle={"enabled": False})
    try:
        started = time.monotonic()
        answer = requests.get(f"{gateway.url}/api/shares/{'A' * 22}", timeout=30)
        elapsed = time.monotonic() - started
        assert answer.status_code == 503 and answer.json()["error"]["code"] == "storage_unreachable", answer.text
        assert elapsed < 4, elapsed
        ready = requests.get(f"{gateway.url}/readyz", timeout=30)
        assert ready.status_code == 503
    finally:
        gateway.stop()
        stop.set()
        for connection in held:
            connection.close()
        hole.close()


def test_the_gateway_bounds_the_connections_of_one_address(dropgate_bin, tmp_path):
    import socket
    gateway = Gateway(dropgate_bin, tmp_path, limits={"connectionsPerClient": 2})
    held = [socket.create_connection(("127.0.0.1", gateway.port), source_address=("127.0.0.2", 0)) for _ in range(2)]
    try:
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", gateway.port), source_address=("127.0.0.2", 0))
        extra.settimeout(5)
        assert extra.recv(4096).startswith(b"HTTP/1.1 429 Too Many Requests")
        extra.close()
        connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=5, source_address=("127.0.0.3", 0))
        connection.request("GET", "/healthz")
        assert connection.getresponse().status == 200
    finally:
        for sock in held:
            sock.close()
        gateway.stop()
