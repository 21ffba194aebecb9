"""Collections, passwords and resumable uploads (issue 16) through the API, over real HTTP on the embedded store and
on Ceph RGW: one link for several verified files, a page that shows nothing before its password, and a multipart
upload that continues from the parts the store already has."""
import hashlib
import os

import pytest
import requests

from gateway_fixtures import gateway_on, put_plan, receipt as verified


@pytest.fixture(params=["embedded", "rgw"])
def gateway(request, dropgate_bin, tmp_path):
    running = gateway_on(request, dropgate_bin, tmp_path)
    yield running
    running.stop()


def collect(gateway, receipts, **terms):
    return requests.post(f"{gateway.url}/api/shares", json={"files": receipts, **terms})


def fetch(session, url):
    raw = session.get(url, allow_redirects=False)
    return session.get(raw.headers["Location"]) if raw.status_code == 302 else raw


FILES = [("one.txt", b"first file\n"), ("two.csv", b"a,b\n1,2\n"), ("three.txt", b"third " * 100)]


def test_three_files_make_one_share_whose_page_lists_them_all(gateway):
    receipts = [verified(gateway, name, data) for name, data in FILES]
    created = collect(gateway, receipts, expiresIn=3600)
    assert created.status_code == 201, created.text
    body = created.json()
    link = body["share"]["url"]
    assert [f["filename"] for f in body["files"]] == [name for name, _ in FILES]
    assert [f["url"] for f in body["files"]] == [f"{link}/{n}" for n in (1, 2, 3)]
    page = requests.get(f"{gateway.url}/s/{body['share']['id']}")
    assert page.status_code == 200 and "3 files" in page.text
    for name, _ in FILES:
        assert name in page.text
    session = requests.Session()
    for number, (name, data) in enumerate(FILES, start=1):
        own = requests.get(f"{gateway.url}/s/{body['share']['id']}/{number}")
        assert own.status_code == 200 and f'<h1 id="filename">{name}</h1>' in own.text
        got = fetch(session, f"{gateway.url}/s/{body['share']['id']}/{number}/raw?download=1")
        assert got.status_code == 200 and got.content == data
        assert name in got.headers["Content-Disposition"]
    assert requests.get(f"{gateway.url}/s/{body['share']['id']}/4").status_code == 404
    assert requests.get(f"{gateway.url}/s/{body['share']['id']}/0").status_code == 404
    assert requests.get(f"{gateway.url}/s/{body['share']['id']}/01").status_code == 404
    facts = requests.get(f"{gateway.url}/api/shares/{body['share']['id']}").json()
    assert [f["filename"] for f in facts["files"]] == [name for name, _ in FILES] and facts["downloads"] == 3


def test_the_same_receipts_name_the_same_share_and_a_file_is_in_one_share_only(gateway):
    receipts = [verified(gateway, name, data) for name, data in FILES]
    first = collect(gateway, receipts)
    again = collect(gateway, receipts)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["share"] == again.json()["share"]
    other = collect(gateway, receipts[:2])
    assert other.status_code == 409 and other.json()["error"]["code"] == "already_shared"


def test_revoking_a_collection_ends_every_file(gateway):
    import json
    receipts = [verified(gateway, name, data) for name, data in FILES]
    body = collect(gateway, receipts).json()
    share_id = body["share"]["id"]
    store = gateway.store_client()
    bucket = gateway.settings["storage"]["bucket"]
    record = json.loads(store.get_object(Bucket=bucket, Key=f".dropgate/shares/{share_id}.json")["Body"].read())
    keys = [file["key"] for file in record["files"]]
    assert len(keys) == 3 and all(store.head_object(Bucket=bucket, Key=key) for key in keys)
    revoked = requests.delete(f"{gateway.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {body['deleteToken']}"})
    assert revoked.status_code == 204
    for path in ["", "/1", "/2/raw", "/3/raw"]:
        assert requests.get(f"{gateway.url}/s/{share_id}{path}", allow_redirects=False).status_code == 410
    for key in keys:
        assert store.list_objects_v2(Bucket=bucket, Prefix=key).get("KeyCount", 0) == 0, key


def test_a_download_limit_counts_per_file(gateway):
    receipts = [verified(gateway, name, data) for name, data in FILES[:2]]
    body = collect(gateway, receipts, maxDownloads=1).json()
    share_id = body["share"]["id"]
    first = requests.get(f"{gateway.url}/s/{share_id}/1/raw")
    assert first.status_code == 200 and first.content == FILES[0][1]
    assert requests.get(f"{gateway.url}/s/{share_id}/1/raw").status_code == 410
    assert requests.get(f"{gateway.url}/s/{share_id}").status_code == 200  # file 2 is still there
    assert requests.get(f"{gateway.url}/s/{share_id}/2/raw").content == FILES[1][1]
    assert requests.get(f"{gateway.url}/s/{share_id}").status_code == 410


@pytest.mark.parametrize("body, code", [
    ({}, "no_files"),
    ({"files": []}, "no_files"),
    ({"files": ["not-a-receipt"]}, "invalid_receipt"),
    ({"files": "x"}, "invalid_share_request"),
    ({"files": ["a"], "maxDownloads": 1.5}, "invalid_share_request"),
])
def test_bad_share_requests_are_named(gateway, body, code):
    answer = requests.post(f"{gateway.url}/api/shares", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == code


def test_a_receipt_from_another_gateway_secret_or_tampered_is_refused(gateway):
    receipt = verified(gateway, "a.txt", b"abc")
    payload, mac = receipt.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + mac
    answer = collect(gateway, [forged])
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_receipt"
    twice = collect(gateway, [receipt, receipt])
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "duplicate_file"


def test_a_password_share_shows_nothing_before_its_password(gateway):
    receipts = [verified(gateway, "secret-plans.txt", b"the plans")]
    body = collect(gateway, receipts, password="correct horse").json()
    share_id = body["share"]["id"]
    page = requests.get(f"{gateway.url}/s/{share_id}")
    assert page.status_code == 200 and 'type="password"' in page.text
    assert "secret-plans" not in page.text and "9 bytes" not in page.text
    for path in ["/raw", "/1", "/1/raw"]:
        locked = requests.get(f"{gateway.url}/s/{share_id}{path}", allow_redirects=False)
        assert locked.status_code in (200, 403) and "secret-plans" not in locked.text and "Location" not in locked.headers
    assert requests.get(f"{gateway.url}/api/shares/{share_id}").json()["error"]["code"] == "password_required"

    session = requests.Session()
    wrong = session.post(f"{gateway.url}/s/{share_id}/unlock", data={"password": "wrong"}, allow_redirects=False)
    assert wrong.status_code == 403 and "not right" in wrong.text and "Set-Cookie" not in wrong.headers
    right = session.post(f"{gateway.url}/s/{share_id}/unlock", data={"password": "correct horse"}, allow_redirects=False)
    assert right.status_code == 303 and right.headers["Location"] == f"/s/{share_id}"
    cookie = right.headers["Set-Cookie"]
    for attribute in ["HttpOnly", "SameSite=Strict", f"Path=/s/{share_id}", "Max-Age=3600"]:
        assert attribute in cookie
    assert "secret-plans.txt" in session.get(f"{gateway.url}/s/{share_id}").text
    assert fetch(session, f"{gateway.url}/s/{share_id}/raw").content == b"the plans"
    # The cookie opens this share only.
    other = collect(gateway, [verified(gateway, "other.txt", b"other")], password="another").json()
    assert 'type="password"' in session.get(f"{gateway.url}/s/{other['share']['id']}").text
    # A forged cookie opens nothing.
    forged = requests.get(f"{gateway.url}/s/{share_id}", cookies={"dg_unlock": "eyJzaGFyZSI6IngifQ.AAAA"})
    assert 'type="password"' in forged.text


def test_password_guesses_are_limited(gateway):
    body = collect(gateway, [verified(gateway, "a.txt", b"abc")], password="pw").json()
    share_id = body["share"]["id"]
    statuses = [requests.post(f"{gateway.url}/s/{share_id}/unlock", data={"password": f"guess{n}"}).status_code for n in range(14)]
    # Ten at once, then one every six seconds (each guess costs a PBKDF2, so a token may refill meanwhile).
    assert statuses[:10] == [403] * 10 and statuses[10:].count(429) >= 2, statuses
    limited = requests.post(f"{gateway.url}/s/{share_id}/unlock", data={"password": "pw"}, allow_redirects=False)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_the_stored_password_is_a_slow_salted_hash(gateway):
    body = collect(gateway, [verified(gateway, "a.txt", b"abc")], password="hunter2").json()
    store = gateway.store_client()
    record = store.get_object(Bucket=gateway.settings["storage"]["bucket"], Key=f".dropgate/shares/{body['share']['id']}.json")["Body"].read()
    assert b"hunter2" not in record
    assert b'"algorithm":"pbkdf2-sha256"' in record and b'"rounds":600000' in record


def test_a_multipart_upload_resumes_from_the_parts_the_store_has(gateway):
    part = 5 * 1024 * 1024
    data = os.urandom(3 * part + 1000)
    plan = gateway.create(filename="big.bin", size=len(data), contentType="application/octet-stream").json()
    multipart = plan["multipart"]
    assert multipart["resumableUntil"] > plan["expiresAt"]
    first = multipart["parts"][0]
    assert requests.put(first["url"], data=data[:part]).status_code == 200
    stored = requests.get(f"{gateway.url}/api/uploads/{plan['id']}/parts")
    assert stored.status_code == 200 and [p["partNumber"] for p in stored.json()["parts"]] == [1]
    assert stored.json()["parts"][0]["size"] == part
    fresh = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/parts", json={"parts": [2, 3, 4]})
    assert fresh.status_code == 200, fresh.text
    etags = {1: stored.json()["parts"][0]["etag"]}
    for url in fresh.json()["parts"]:
        number = url["partNumber"]
        answer = requests.put(url["url"], data=data[(number - 1) * part:number * part])
        assert answer.status_code == 200
        etags[number] = answer.headers["ETag"]
    done = gateway.complete(plan["id"], {"parts": [{"partNumber": n, "etag": e} for n, e in sorted(etags.items())]})
    assert done.status_code == 201, done.text
    got = fetch(requests.Session(), done.json()["viewUrl"])
    assert hashlib.sha256(got.content).digest() == hashlib.sha256(data).digest()


@pytest.mark.parametrize("body, code", [({"parts": [5]}, "invalid_part_number"), ({"parts": []}, "invalid_parts"),
                                        ({"parts": [1, 1]}, "invalid_parts"), ({}, "invalid_parts")])
def test_bad_part_refreshes_are_named(gateway, body, code):
    plan = gateway.create(filename="big.bin", size=7 * 1024 * 1024, contentType="application/octet-stream").json()
    answer = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/parts", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == code


def test_a_single_upload_has_no_parts_to_refresh(gateway):
    plan = gateway.create(filename="a.txt", size=3, contentType="text/plain").json()
    answer = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/parts", json={"parts": [1]})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_multipart"


def test_cancelling_a_multipart_upload_aborts_it(gateway):
    plan = gateway.create(filename="big.bin", size=7 * 1024 * 1024, contentType="application/octet-stream").json()
    assert requests.put(plan["multipart"]["parts"][0]["url"], data=os.urandom(5 * 1024 * 1024)).status_code == 200
    assert requests.delete(f"{gateway.url}/api/uploads/{plan['id']}").status_code == 204
    assert requests.delete(f"{gateway.url}/api/uploads/{plan['id']}").status_code == 204
    assert requests.get(f"{gateway.url}/api/uploads/{plan['id']}/parts").json()["error"]["code"] == "upload_finished"
    store = gateway.store_client()
    uploads = store.list_multipart_uploads(Bucket=gateway.settings["storage"]["bucket"]).get("Uploads", [])
    assert plan["key"] not in [u["Key"] for u in uploads]
