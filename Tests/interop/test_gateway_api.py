"""The gateway's API end to end: curl uploads, checks, shares, revocation, expiry, multipart, POST forms."""
import base64
import hashlib
import os
import shlex
import subprocess

import pytest
import requests

from gateway_fixtures import Gateway, curl_put


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path)
    yield running
    running.stop()


def sha256(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def curl_upload(plan, path):
    """curl's PUT of the file to the plan's URL, with its signed headers; the status it got."""
    command = [word for word in curl_put(plan, path) if word != "--fail-with-body"]
    return subprocess.run([*command, "-o", "/dev/null", "-w", "%{http_code}"], capture_output=True, text=True)


def test_curl_flow_end_to_end(gateway, tmp_path):
    data = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(300_000)  # a JPEG's first bytes
    source = tmp_path / "holiday photo.jpg"
    source.write_bytes(data)
    created = gateway.create(filename="holiday photo.jpg", size=len(data), contentType="image/jpeg", sha256=sha256(data))
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["method"] == "PUT" and plan["key"].startswith("uploads/") and plan["key"].endswith("/holiday_photo.jpg")
    assert plan["headers"]["If-None-Match"] == "*" and plan["headers"]["x-amz-checksum-sha256"] == sha256(data)
    assert len(plan["key"].split("/")[3]) == 22  # 128 random bits
    assert curl_upload(plan, source).stdout == "200"
    assert curl_upload(plan, source).stdout == "412"  # the presigned PUT never overwrites
    done = gateway.complete(plan["id"])
    assert done.status_code == 201, done.text
    result = done.json()
    share_url = result["share"]["url"]
    page = requests.get(share_url)
    assert page.status_code == 200 and "holiday photo.jpg" in page.text and "<img" in page.text
    raw = requests.get(share_url + "/raw?download=1", allow_redirects=False)
    assert raw.status_code == 302
    downloaded = requests.get(raw.headers["Location"])
    assert downloaded.content == data
    assert 'attachment; filename="holiday_photo.jpg"' in downloaded.headers["Content-Disposition"]
    assert requests.get(result["viewUrl"]).content == data
    assert requests.get(f"{gateway.url}/healthz").json() == {"status": "ok"}


def test_a_mismatched_upload_is_refused_and_deleted(gateway):
    plan = gateway.create(filename="a.txt", size=10, contentType="text/plain").json()
    store = gateway.store_client()
    store.put_object(Bucket="dropgate", Key=plan["key"], Body=b"eleven byte", ContentType="text/html")
    refused = gateway.complete(plan["id"])
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "upload_mismatch"
    assert {m["code"] for m in error["mismatches"]} == {"size", "content_type"}
    assert store.list_objects_v2(Bucket="dropgate", Prefix=plan["key"])["KeyCount"] == 0


def test_a_wrong_checksum_is_refused(gateway):
    plan = gateway.create(filename="b.bin", size=5, contentType="application/octet-stream", sha256=sha256(b"other")).json()
    gateway.store_client().put_object(Bucket="dropgate", Key=plan["key"], Body=b"12345", ContentType="application/octet-stream")
    refused = gateway.complete(plan["id"])
    assert refused.status_code == 422 and refused.json()["error"]["mismatches"][0]["code"] == "checksum"


def test_completing_without_uploading_says_missing(gateway):
    plan = gateway.create(filename="never.txt", size=3, contentType="text/plain").json()
    refused = gateway.complete(plan["id"])
    assert refused.status_code == 422 and refused.json()["error"]["mismatches"][0]["code"] == "missing"


@pytest.mark.parametrize("declaration,status,code", [
    ({"filename": "big.bin", "size": 65 * 1024 * 1024, "contentType": "application/octet-stream"}, 413, "upload_too_large"),
    ({"filename": "page.html", "size": 10, "contentType": "text/html"}, 415, "type_not_allowed"),
    ({"filename": "", "size": 10}, 400, "invalid_filename"),
    ({"filename": "x" * 300, "size": 10}, 400, "invalid_filename"),
    ({"size": 10}, 400, "invalid_filename"),
    ({"filename": "a", "size": -1}, 400, "invalid_size"),
    ({"filename": "a", "size": 1.5}, 400, "invalid_size"),
    ({"filename": "a", "size": "10"}, 400, "invalid_size"),
    ({"filename": "a", "size": 1, "sha256": "abc"}, 400, "invalid_sha256"),
    ({"filename": "a", "size": 1, "expiresIn": 10**9}, 400, "invalid_expiry"),
    ({"filename": "a", "size": 1, "maxDownloads": 0}, 400, "invalid_max_downloads"),
    ({"filename": "a", "size": 1, "mode": "ftp"}, 400, "invalid_mode"),
])
def test_bad_declarations_get_clear_errors(gateway, declaration, status, code):
    response = requests.post(f"{gateway.url}/api/uploads", json=declaration)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]


def test_malformed_requests_get_json_errors(gateway):
    not_json = requests.post(f"{gateway.url}/api/uploads", data=b"{nope")
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "invalid_json"
    forged = gateway.complete("eyJrZXkiOiJ4In0.AAAA")
    assert forged.status_code == 404 and forged.json()["error"]["code"] == "unknown_upload"
    assert requests.get(f"{gateway.url}/s/does-not-exist").status_code == 404
    assert requests.get(f"{gateway.url}/nowhere").json()["error"]["code"] == "not_found"


def test_revocation_needs_the_delete_token(gateway, tmp_path):
    source = tmp_path / "r.txt"
    source.write_bytes(b"revoke me")
    plan = gateway.create(filename="r.txt", size=9, contentType="text/plain").json()
    assert curl_upload(plan, source).stdout == "200"
    result = gateway.complete(plan["id"]).json()
    share_id = result["share"]["id"]
    assert requests.delete(f"{gateway.url}/api/shares/{share_id}", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert requests.delete(f"{gateway.url}/api/shares/{share_id}").status_code == 401
    assert requests.delete(f"{gateway.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {result['deleteToken']}"}).status_code == 204
    gone = requests.get(f"{gateway.url}/s/{share_id}")
    assert gone.status_code == 410 and "revoked" in gone.text
    assert gateway.store_client().list_objects_v2(Bucket="dropgate", Prefix=plan["key"])["KeyCount"] == 0


def test_a_download_limit_holds_over_real_http(gateway, tmp_path):
    # Expiry is tested in-process with a clock moved by hand (GatewayBehaviourTests); this is the limit over sockets.
    source = tmp_path / "once.txt"
    source.write_bytes(b"short lived")
    plan = gateway.create(filename="once.txt", size=11, contentType="text/plain", maxDownloads=1).json()
    assert curl_upload(plan, source).stdout == "200"
    share = gateway.complete(plan["id"]).json()["share"]
    first = requests.get(f"{gateway.url}/s/{share['id']}/raw", allow_redirects=False)
    assert first.status_code == 200 and first.content == b"short lived"  # streamed: no presigned URL to fetch again
    assert requests.get(f"{gateway.url}/s/{share['id']}/raw", allow_redirects=False).status_code == 410


def test_multipart_plan_for_big_files(gateway):
    data = os.urandom(11 * 1024 * 1024)
    plan = gateway.create(filename="big.bin", size=len(data), contentType="application/octet-stream").json()
    multipart = plan["multipart"]
    assert multipart["partSize"] == 5 * 1024 * 1024 and len(multipart["parts"]) == 3
    parts = []
    for part in multipart["parts"]:
        start = (part["partNumber"] - 1) * multipart["partSize"]
        answer = requests.put(part["url"], data=data[start:start + multipart["partSize"]])
        assert answer.status_code == 200, answer.text
        parts.append({"partNumber": part["partNumber"], "etag": answer.headers["ETag"]})
    wrong = gateway.complete(plan["id"], {"parts": [{"partNumber": 1, "etag": "nope"}]})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "multipart_failed"
    done = gateway.complete(plan["id"], {"parts": parts})
    assert done.status_code == 201, done.text
    share_id = done.json()["share"]["id"]
    location = requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).headers["Location"]
    assert requests.get(location).content == data


def test_post_policy_mode(gateway):
    data = b"form upload body"
    plan = gateway.create(filename="form.txt", size=len(data), contentType="text/plain", mode="post").json()
    assert plan["method"] == "POST"
    posted = requests.post(plan["url"], data=plan["fields"], files={"file": ("form.txt", data)})
    assert posted.status_code == 201, posted.text
    too_big = gateway.create(filename="form2.txt", size=3, contentType="text/plain", mode="post").json()
    refused = requests.post(too_big["url"], data=too_big["fields"], files={"file": ("f", b"four")})
    assert refused.status_code == 400 and b"EntityTooLarge" in refused.content
    assert gateway.complete(plan["id"]).status_code == 201


def test_upload_tokens(dropgate_bin, tmp_path):
    guarded = Gateway(dropgate_bin, tmp_path, auth={"uploadTokens": ["s3cret-token"]})
    try:
        declaration = {"filename": "t.txt", "size": 1, "contentType": "text/plain"}
        missing = requests.post(f"{guarded.url}/api/uploads", json=declaration)
        assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
        assert missing.json()["error"]["message"] == "This Dropgate needs an upload token. Ask its owner for one."  # plain words
        wrong = requests.post(f"{guarded.url}/api/uploads", json=declaration, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]["message"]
        right = requests.post(f"{guarded.url}/api/uploads", json=declaration, headers={"Authorization": "Bearer s3cret-token"})
        assert right.status_code == 201
    finally:
        guarded.stop()


def test_curl_flow_with_ceph_rgw_as_the_store(dropgate_bin, rgw, tmp_path):
    storage = {"mode": "external", "endpoint": rgw["endpoint"], "publicEndpoint": rgw["endpoint"], "region": rgw["region"],
               "bucket": rgw["bucket"], "accessKeyId": rgw["access_key"], "secretAccessKey": rgw["secret_key"]}
    gateway = Gateway(dropgate_bin, tmp_path, storage=storage)
    try:
        data = os.urandom(50_000)
        source = tmp_path / "on-rgw.bin"
        source.write_bytes(data)
        plan = gateway.create(filename="on-rgw.bin", size=len(data), contentType="application/octet-stream", sha256=sha256(data)).json()
        assert curl_upload(plan, source).stdout == "200"
        done = gateway.complete(plan["id"])
        assert done.status_code == 201, done.text
        share_id = done.json()["share"]["id"]
        assert requests.get(f"{gateway.url}/s/{share_id}").status_code == 200
        location = requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).headers["Location"]
        assert requests.get(location).content == data
        bad = gateway.create(filename="bad.bin", size=4, contentType="application/octet-stream", sha256=sha256(b"else")).json()
        gateway.store_client().put_object(Bucket=rgw["bucket"], Key=bad["key"], Body=b"data", ContentType="application/octet-stream")
        refused = gateway.complete(bad["id"])
        assert refused.status_code == 422 and refused.json()["error"]["mismatches"][0]["code"] == "checksum"
    finally:
        gateway.stop()


def test_concurrent_downloads_never_exceed_the_limit(gateway, tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    source = tmp_path / "limited.txt"
    source.write_bytes(b"limited")
    plan = gateway.create(filename="limited.txt", size=7, contentType="text/plain", maxDownloads=5).json()
    assert curl_upload(plan, source).stdout == "200"
    share_id = gateway.complete(plan["id"]).json()["share"]["id"]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda _: requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).status_code, range(12)))
    assert statuses.count(200) == 5 and statuses.count(410) == 7
    assert requests.get(f"{gateway.url}/api/shares/{share_id}").status_code == 410


def test_json_bodies_are_strict(gateway):
    """Issue 27, item 7: a key twice is 400 invalid_json naming it (no parser differential over which one wins), and a
    key the request does not take is 400 unknown_field naming it, on every JSON endpoint."""
    headers = {"Content-Type": "application/json"}
    twice = requests.post(f"{gateway.url}/api/uploads", data=b'{"filename":"a.txt","size":3,"size":99999999999}', headers=headers)
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "invalid_json", twice.text
    assert '"size" more than once' in twice.json()["error"]["message"]
    unknown = requests.post(f"{gateway.url}/api/uploads", data=b'{"filename":"a.txt","size":3,"maxDownload":1}', headers=headers)
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_field"
    assert '"maxDownload"' in unknown.json()["error"]["message"] and "maxDownloads" in unknown.json()["error"]["message"]
    plan = gateway.create(filename="a.txt", size=3, contentType="text/plain").json()
    completion = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/complete", data=b'{"collection":true,"collection":false}', headers=headers)
    assert completion.status_code == 400 and completion.json()["error"]["code"] == "invalid_json"
    shared = requests.post(f"{gateway.url}/api/shares", data=b'{"files":["x"],"password":"a","password":""}', headers=headers)
    assert shared.status_code == 400 and shared.json()["error"]["code"] == "invalid_json"
