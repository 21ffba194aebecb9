"""Issue 26: download limits, revocation and counts are exact on every store under any timing, with two gateways on
one bucket, on the embedded store and on Ceph RGW: races between downloads, revocations during floods from many
loopback addresses, and staging objects that no unsigned header can make public."""
import concurrent.futures
import http.client
import time
import urllib.parse
import uuid

import boto3
import pytest
import requests
from botocore.config import Config

from gateway_fixtures import Gateway, put_plan, rgw_storage

SECRET = "races-test-gateway-secret-0123456789abcdef"


def s3_client(storage):
    return boto3.client("s3", endpoint_url=storage["endpoint"], aws_access_key_id=storage["accessKeyId"],
                        aws_secret_access_key=storage["secretAccessKey"], region_name=storage.get("region", "us-east-1"),
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


class Pair:
    """Two gateways on one bucket: the first owns the embedded store (or both use a fresh RGW bucket)."""

    def __init__(self, kind, dropgate_bin, tmp_path, rgw, **extra):
        settings = {"gateway": {"secret": SECRET}, "lifecycle": {"interval": 3600}, **extra}
        first_dir, second_dir = tmp_path / "a", tmp_path / "b"
        first_dir.mkdir()
        second_dir.mkdir()
        if kind == "rgw":
            storage = rgw_storage(rgw)
            storage["bucket"] = f"races-{uuid.uuid4().hex[:12]}"
            s3_client(storage).create_bucket(Bucket=storage["bucket"])
            self.first = Gateway(dropgate_bin, first_dir, storage=storage, **settings)
        else:
            self.first = Gateway(dropgate_bin, first_dir, **settings)
            endpoint = f"http://127.0.0.1:{self.first.store_port}"
            embedded = self.first.settings["storage"]
            storage = {"mode": "external", "endpoint": endpoint, "publicEndpoint": f"http://localhost:{self.first.store_port}",
                       "region": embedded["region"], "bucket": embedded["bucket"], "accessKeyId": embedded["accessKeyId"],
                       "secretAccessKey": embedded["secretAccessKey"]}
        self.storage = storage
        self.second = Gateway(dropgate_bin, second_dir, storage=storage, **settings)
        self.gateways = [self.first, self.second]

    def stop(self):
        for gateway in reversed(self.gateways):
            gateway.stop()

    def share(self, data=b"race-test-bytes!", **terms):
        plan = self.first.create(filename="race.txt", size=len(data), contentType="text/plain", **terms).json()
        assert put_plan(plan, data) == 200
        done = self.second.complete(plan["id"])
        assert done.status_code == 201, done.text
        return done.json()["share"]["id"], done.json()["deleteToken"]


@pytest.fixture(params=["embedded", "rgw"])
def pair(request, dropgate_bin, tmp_path):
    running = Pair(request.param, dropgate_bin, tmp_path, request.getfixturevalue("rgw") if request.param == "rgw" else None)
    yield running
    running.stop()


def fetch(url, source="127.0.0.1", method="GET", headers=None):
    """One request from a loopback address: (status, the body read, its declared length, when it started and ended).
    A body shorter than its Content-Length comes back as it is, so a truncated 200 is seen, not hidden."""
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, source_address=(source, 0), timeout=30)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        try:
            body = response.read()
        except http.client.IncompleteRead as short:
            body = short.partial
        return response.status, body, None if declared is None else int(declared), started, time.monotonic()
    finally:
        connection.close()


def assert_whole(results, data):
    """No answer of 200 ever carries fewer bytes than it declared, or other bytes than the file's."""
    for status, body, declared, _, _ in results:
        assert declared is None or len(body) == declared, (status, len(body), declared)
        if status == 200:
            assert body == data


def race(pair, share_id, count, workers, address):
    """`count` downloads of a share at once, alternating between the two gateways, request n from `address(n)`."""
    urls = [f"{pair.gateways[n % 2].url}/s/{share_id}/raw" for n in range(count)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: fetch(job[1], source=address(job[0])), enumerate(urls)))


def test_a_download_limit_is_exact_across_two_gateways(pair):
    data = b"exactly-five-downloads"
    for _ in range(5):
        share_id, _ = pair.share(data, maxDownloads=5)
        results = race(pair, share_id, 100, 100, lambda n: f"127.0.{n % 50}.{2 + n % 200}")
        statuses = [result[0] for result in results]
        assert statuses.count(200) == 5 and statuses.count(410) == 95, sorted(statuses)
        assert_whole(results, data)
        for gateway in pair.gateways:
            assert requests.get(f"{gateway.url}/api/shares/{share_id}").status_code == 410


def test_unlimited_downloads_all_succeed_and_are_all_counted(pair):
    share_id, _ = pair.share()
    results = race(pair, share_id, 400, 150, lambda n: f"127.0.1.{2 + n % 150}")
    assert [result[0] for result in results].count(302) == 400, sorted({result[0] for result in results})
    for gateway in pair.gateways:
        assert requests.get(f"{gateway.url}/api/shares/{share_id}").json()["downloads"] == 400


def test_a_revocation_survives_racing_downloads(pair):
    data = b"revoked-while-racing"
    for _ in range(5):
        share_id, token = pair.share(data, maxDownloads=1000)
        urls = [f"{pair.gateways[n % 2].url}/s/{share_id}/raw" for n in range(200)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=60) as pool:
            racing = [pool.submit(fetch, url, f"127.0.2.{2 + n % 200}") for n, url in enumerate(urls)]
            time.sleep(0.05)
            revoked = requests.delete(f"{pair.second.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {token}"})
            answered = time.monotonic()
            results = [job.result() for job in racing]
        assert revoked.status_code == 204, revoked.text
        assert_whole(results, data)
        assert all(status == 410 for status, _, _, started, _ in results if started > answered)
        for gateway in pair.gateways:
            for path in ("/raw", "", "/1"):
                assert requests.get(f"{gateway.url}/s/{share_id}{path}", allow_redirects=False).status_code == 410
            assert requests.get(f"{gateway.url}/api/shares/{share_id}").status_code == 410


@pytest.mark.alone
def test_a_revocation_during_a_flood_answers_at_once(pair):
    share_id, token = pair.share()
    stop = time.monotonic() + 8
    after_revocation = []

    def flood(n):
        gateway = pair.gateways[n % 2]
        seen = []
        while time.monotonic() < stop:
            seen.append(fetch(f"{gateway.url}/s/{share_id}/raw", source=f"127.0.3.{2 + n}"))
        return seen

    with concurrent.futures.ThreadPoolExecutor(max_workers=150) as pool:
        clients = [pool.submit(flood, n) for n in range(150)]
        time.sleep(2)
        started = time.monotonic()
        revoked = requests.delete(f"{pair.first.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        answered = time.monotonic()
        for client in clients:
            after_revocation += [result for result in client.result() if result[3] > answered]
    assert revoked.status_code == 204, revoked.text
    assert answered - started < 2, f"DELETE took {answered - started:.2f} s"
    assert after_revocation and {result[0] for result in after_revocation} == {410}
    for gateway in pair.gateways:
        assert requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).status_code == 410


def test_an_unsigned_acl_never_makes_a_staging_object_public(pair):
    anonymous = pair.storage["endpoint"] + "/" + pair.storage["bucket"] + "/"
    for extra in ({"x-amz-acl": "public-read"}, {"x-amz-grant-read": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'}):
        plan = pair.first.create(filename="page.svg", size=6, contentType="application/octet-stream").json()
        assert plan["headers"]["x-amz-acl"] == "bucket-owner-full-control"
        status = put_plan(plan, b"<svg/>", extra)
        assert status in (400, 403) or requests.get(anonymous + plan["key"]).status_code in (401, 403), extra
    plan = pair.first.create(filename="fine.txt", size=4, contentType="text/plain").json()
    assert put_plan(plan, b"fine") == 200
    assert requests.get(anonymous + plan["key"]).status_code in (401, 403)


def test_a_completion_refuses_an_object_someone_made_public(pair):
    if pair.storage["endpoint"].endswith(str(pair.first.store_port)):
        pytest.skip("the embedded store keeps no ACLs: there is nothing to make public")
    plan = pair.first.create(filename="public.txt", size=4, contentType="text/plain").json()
    assert put_plan(plan, b"open") == 200
    s3_client(pair.storage).put_object_acl(Bucket=pair.storage["bucket"], Key=plan["key"], ACL="public-read")
    refused = pair.second.complete(plan["id"])
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "public_acl", refused.text
    with pytest.raises(Exception, match="404"):
        s3_client(pair.storage).head_object(Bucket=pair.storage["bucket"], Key=plan["key"])
