"""What is shared is what was verified (issue 12), over real HTTP on the embedded store and on Ceph RGW."""
import pytest
import requests

from gateway_fixtures import Gateway, put_plan, rgw_storage


@pytest.fixture(params=["embedded", "rgw"])
def gateway(request, dropgate_bin, tmp_path):
    storage = rgw_storage(request.getfixturevalue("rgw")) if request.param == "rgw" else None
    running = Gateway(dropgate_bin, tmp_path, storage=storage)
    yield running
    running.stop()


def served(gateway, share_id):
    raw = requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False)
    return requests.get(raw.headers["Location"]) if raw.status_code == 302 else raw


def test_completion_is_idempotent_and_the_bytes_cannot_change_after_it(gateway):
    plan = gateway.create(filename="a.txt", size=8, contentType="text/plain").json()
    assert put_plan(plan, b"verified") == 200
    first, again = gateway.complete(plan["id"]), gateway.complete(plan["id"])
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["share"] == again.json()["share"] and first.json()["deleteToken"] == again.json()["deleteToken"]
    put_plan(plan, b"swapped!")  # the upload URL may still work: it can only write the staging key now
    share_id = first.json()["share"]["id"]
    assert served(gateway, share_id).content == b"verified"
    revoked = requests.delete(f"{gateway.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {first.json()['deleteToken']}"})
    assert revoked.status_code == 204
    assert gateway.complete(plan["id"]).status_code == 410


def test_an_unsigned_content_encoding_is_refused(gateway):
    plan = gateway.create(filename="a.txt", size=3, contentType="text/plain").json()
    assert put_plan(plan, b"abc", {"Content-Encoding": "gzip"}) == 200
    refused = gateway.complete(plan["id"])
    assert refused.status_code == 422, refused.text
    assert [m["code"] for m in refused.json()["error"]["mismatches"]] == ["unsigned_header"]


def test_a_limited_share_is_streamed_and_counted(gateway):
    plan = gateway.create(filename="once.txt", size=4, contentType="text/plain", maxDownloads=1).json()
    assert put_plan(plan, b"once") == 200
    share_id = gateway.complete(plan["id"]).json()["share"]["id"]
    assert requests.head(f"{gateway.url}/s/{share_id}/raw").status_code == 200  # HEAD counts nothing
    first = requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False)
    assert first.status_code == 200 and first.content == b"once" and "Location" not in first.headers
    assert requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).status_code == 410


def test_an_svg_is_served_as_an_attachment_with_a_pinned_type(gateway):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    plan = gateway.create(filename="x.svg", size=len(svg), contentType="image/svg+xml").json()
    assert put_plan(plan, svg) == 200
    share_id = gateway.complete(plan["id"]).json()["share"]["id"]
    answer = served(gateway, share_id)
    assert answer.headers["Content-Disposition"].startswith("attachment") and answer.headers["Content-Type"] == "image/svg+xml"


def test_a_part_url_refuses_one_more_byte(dropgate_bin, request, tmp_path):
    # Part URLs sign their exact Content-Length (issue 13): a 5 GiB plan can no longer take terabytes.
    for store in ["embedded", "rgw"]:
        storage = rgw_storage(request.getfixturevalue("rgw")) if store == "rgw" else None
        (tmp_path / store).mkdir()
        gateway = Gateway(dropgate_bin, tmp_path / store, storage=storage)
        try:
            size = 6 * 1024 * 1024 + 10  # over the fixture's 6 MiB threshold: parts of 5 MiB and 1 MiB + 10
            plan = gateway.create(filename="big.bin", size=size, contentType="application/octet-stream").json()
            last = plan["multipart"]["parts"][-1]["url"]
            remainder = size - 5 * 1024 * 1024
            assert requests.put(last, data=b"x" * (remainder + 1)).status_code == 403, store
            assert requests.put(last, data=b"x" * remainder).status_code == 200, store
        finally:
            gateway.stop()


def test_an_unsigned_copy_source_never_turns_an_upload_url_into_a_copy(dropgate_bin, tmp_path):
    """Issue 27, item 1: a 0-byte plan's PUT URL with an unsigned x-amz-copy-source (an existing shared object, or one
    that does not exist) is refused before anything is read or written, with the same answer either way: no copy, no
    existence oracle."""
    gateway = Gateway(dropgate_bin, tmp_path)
    try:
        big = b"B" * (2 << 20)
        plan = gateway.create(filename="big.bin", size=len(big), contentType="application/octet-stream").json()
        assert put_plan(plan, big) == 200
        share_id = gateway.complete(plan["id"]).json()["share"]["id"]
        shared_key = requests.get(f"{gateway.url}/s/{share_id}/raw", allow_redirects=False).headers["Location"].split("?")[0].split("/dropgate/", 1)[1]
        empty = gateway.create(filename="empty.bin", size=0, contentType="application/octet-stream").json()
        answers = []
        for source in (f"/dropgate/{shared_key}", "/dropgate/shared/2026/12/nothing-here/x.bin"):
            headers = {k: v for k, v in empty["headers"].items() if k != "Content-Length"}
            headers["x-amz-copy-source"] = source
            answer = requests.put(empty["url"], data=b"", headers=headers)
            assert answer.status_code == 403, answer.text
            assert "<Code>AccessDenied</Code>" in answer.text and "<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>" in answer.text
            assert "There were headers present in the request which were not signed" in answer.text
            answers.append(answer.text.split("<RequestId>")[0])
        assert answers[0] == answers[1]  # nothing tells whether the source exists
        assert gateway.complete(empty["id"]).json()["error"]["code"] == "upload_mismatch"  # nothing was written at its key
    finally:
        gateway.stop()
