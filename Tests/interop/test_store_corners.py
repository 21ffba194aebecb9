"""The corners strict S3 clients find (issue 34), each against the embedded store and against Ceph RGW 16.

Every test runs on both peers. Where RGW itself does not do what S3 documents, its run is marked xfail(strict=True)
with the reason: it must fail there, so a RGW that learns the behaviour shows up here."""
import base64
import datetime
import hashlib
import http.client
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
import zlib

import pytest
import requests

from s3_peers import header_signed_v4, presigned_v4, utc_now

RGW_LACKS = {
    "part_numbers": "RGW 16 ignores partNumber on GET and HEAD and answers the whole object",
    "checksums": "RGW 16 stores a body whose x-amz-checksum-* does not match it",
    "control_characters": "RGW 16 encodes '/' as %2F under encoding-type=url, and writes U+0001 as &#x01;, not &#x1; as S3 does",
}


@pytest.fixture(scope="module")
def both(store_and_rgw):
    return store_and_rgw


def peer_params(lacking=None):
    rgw_marks = [pytest.mark.xfail(strict=True, reason=RGW_LACKS[lacking])] if lacking else []
    return pytest.mark.parametrize("name", ["store", pytest.param("rgw", marks=rgw_marks)])


def code(response):
    return ET.fromstring(response.content).findtext("Code")


def failure(call):
    try:
        call()
    except Exception as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    return None


def fresh(prefix=""):
    return f"corners-{uuid.uuid4().hex[:8]}{prefix}"


def pages_v1(s3, bucket, prefix, delimiter, max_keys, root):
    marker, pages = "", []
    while len(pages) < 8:
        page = s3.list_objects(Bucket=bucket, Prefix=root + prefix, Delimiter=delimiter, MaxKeys=max_keys, Marker=marker)
        strip = lambda text: text[len(root):]  # noqa: E731
        pages.append(([strip(o["Key"]) for o in page.get("Contents", [])], [strip(p["Prefix"]) for p in page.get("CommonPrefixes", [])],
                      page["IsTruncated"], strip(page["NextMarker"]) if "NextMarker" in page else None))
        if not page["IsTruncated"]:
            break
        marker = page["NextMarker"]
    return pages


@peer_params()
@pytest.mark.parametrize("d", ["/", "_"])
def test_v1_pages_end_when_every_remaining_key_rolls_up_into_a_prefix_already_listed(both, name, d):
    peer = both[name]
    s3, root = peer.client(), fresh("-")
    for key in ["asdf", f"boo{d}bar", f"boo{d}baz{d}xyzzy", f"cquux{d}thud", f"cquux{d}bla"]:
        s3.put_object(Bucket=peer.bucket, Key=root + key, Body=b"")
    assert pages_v1(s3, peer.bucket, "", d, 1, root) == [
        (["asdf"], [], True, "asdf"), ([], [f"boo{d}"], True, f"boo{d}"), ([], [f"cquux{d}"], False, None)]
    assert pages_v1(s3, peer.bucket, f"boo{d}", d, 1, root) == [([f"boo{d}bar"], [], True, f"boo{d}bar"), ([], [f"boo{d}baz{d}"], False, None)]
    # The page is full at its common prefix and every key after it rolls up into that prefix: not truncated.
    assert pages_v1(s3, peer.bucket, "", d, 2, root)[-1] == ([], [f"cquux{d}"], False, None)
    assert pages_v1(s3, peer.bucket, f"boo{d}", d, 2, root) == [([f"boo{d}bar"], [f"boo{d}baz{d}"], False, None)]


@peer_params()
@pytest.mark.parametrize("marker,prefixes", [("boo", ["boo/", "cquux/"]), ("boo/", ["cquux/"]), ("boo/bar", ["cquux/"]),
                                             ("boo/baz/xyzzy", ["cquux/"])])
def test_a_marker_inside_a_common_prefix_skips_that_prefix_in_v1_and_v2(both, name, marker, prefixes):
    peer = both[name]
    s3, root = peer.client(), fresh("-")
    for key in ["asdf", "boo/bar", "boo/baz/xyzzy", "cquux/thud"]:
        s3.put_object(Bucket=peer.bucket, Key=root + key, Body=b"")
    v1 = s3.list_objects(Bucket=peer.bucket, Prefix=root, Delimiter="/", Marker=root + marker)
    v2 = s3.list_objects_v2(Bucket=peer.bucket, Prefix=root, Delimiter="/", StartAfter=root + marker)
    for page in (v1, v2):
        assert ("Contents" not in page, [p["Prefix"][len(root):] for p in page["CommonPrefixes"]]) == (True, prefixes)


@peer_params()
def test_v2_continuation_after_a_common_prefix_skips_its_keys(both, name):
    peer = both[name]
    s3, root = peer.client(), fresh("/")
    for key in ["a/1", "a/2", "a/3", "b", "c/1"]:
        s3.put_object(Bucket=peer.bucket, Key=root + key, Body=b"")
    first = s3.list_objects_v2(Bucket=peer.bucket, Prefix=root, Delimiter="/", MaxKeys=1)
    second = s3.list_objects_v2(Bucket=peer.bucket, Prefix=root, Delimiter="/", MaxKeys=1, ContinuationToken=first["NextContinuationToken"])
    third = s3.list_objects_v2(Bucket=peer.bucket, Prefix=root, Delimiter="/", MaxKeys=5, ContinuationToken=second["NextContinuationToken"])
    assert [p["Prefix"] for p in first["CommonPrefixes"]] == [root + "a/"]
    assert [o["Key"] for o in second["Contents"]] == [root + "b"]
    assert ("Contents" not in third, [p["Prefix"] for p in third["CommonPrefixes"]], third["IsTruncated"]) == (True, [root + "c/"], False)


CONTROL_KEYS = {"\n": "%0A", "\t": "%09", "\r": "%0D", "\x01": "%01"}


@peer_params(lacking="control_characters")
def test_keys_with_control_characters_are_listed_as_they_are_or_percent_encoded(both, name):
    peer = both[name]
    s3, root = peer.client(), fresh("/")
    for character in CONTROL_KEYS:
        s3.put_object(Bucket=peer.bucket, Key=f"{root}x{character}y", Body=b"c")
    # boto3 asks for encoding-type=url and decodes: every key comes back exactly.
    assert sorted(o["Key"] for o in s3.list_objects(Bucket=peer.bucket, Prefix=root)["Contents"]) == sorted(f"{root}x{c}y" for c in CONTROL_KEYS)
    url, headers = header_signed_v4(peer, "GET", f"/{peer.bucket}", utc_now(), query={"prefix": root, "encoding-type": "url"})
    encoded = requests.get(url, headers=headers).content
    for character, escape in CONTROL_KEYS.items():
        assert f"<Key>{root}x{escape}y</Key>".encode() in encoded
    # Without it, each key is itself: tab, line feed and carriage return as character references a parser reads back
    # exactly, and U+0001 (not an XML 1.0 character) as S3 writes it.
    url, headers = header_signed_v4(peer, "GET", f"/{peer.bucket}", utc_now(), query={"prefix": root})
    raw = requests.get(url, headers=headers).content
    assert f"<Key>{root}x&#x1;y</Key>".encode() in raw
    readable = ET.fromstring(raw.replace(f"<Key>{root}x&#x1;y</Key>".encode(), b""))
    keys = sorted(k.text for k in readable.iter("{http://s3.amazonaws.com/doc/2006-03-01/}Key"))
    assert keys == sorted(f"{root}x{c}y" for c in "\n\t\r")


@peer_params()
def test_utf8_user_metadata_comes_back_byte_for_byte(both, name):
    peer = both[name]
    key, value = fresh(), "Zürich – 東京 ☃".encode()
    put = requests.put(presigned_v4(peer, "PUT", f"/{peer.bucket}/{key}", headers={"x-amz-meta-city": value}), data=b"m",
                       headers={"x-amz-meta-city": value})
    assert put.status_code == 200, put.content
    for method in ("GET", "HEAD"):
        got = requests.request(method, presigned_v4(peer, method, f"/{peer.bucket}/{key}"))
        assert got.raw.headers["x-amz-meta-city"].encode("latin-1") == value  # http.client reads header bytes as Latin-1


@peer_params()
@pytest.mark.parametrize("expires,age", [("-1", 0), ("-3600", 0), ("0", 0), ("60", 3600)], ids=["minus-1", "minus-hour", "zero", "past"])
def test_a_presigned_url_that_has_already_expired_is_403_access_denied(both, name, expires, age):
    peer = both[name]
    key = fresh()
    peer.client().put_object(Bucket=peer.bucket, Key=key, Body=b"e")
    response = requests.get(presigned_v4(peer, "GET", f"/{peer.bucket}/{key}", expires=expires,
                                         when=utc_now() - datetime.timedelta(seconds=age)))
    assert (response.status_code, code(response)) == (403, "AccessDenied")


@peer_params(lacking="part_numbers")
def test_get_and_head_by_part_number_and_past_the_last_part(both, name):
    peer = both[name]
    s3, key = peer.client(), fresh()
    first, second = b"1" * (5 * 1024 * 1024), b"the second part"
    upload = s3.create_multipart_upload(Bucket=peer.bucket, Key=key)["UploadId"]
    parts = [{"PartNumber": n, "ETag": s3.upload_part(Bucket=peer.bucket, Key=key, UploadId=upload, PartNumber=n, Body=body)["ETag"]}
             for n, body in ((1, first), (2, second))]
    s3.complete_multipart_upload(Bucket=peer.bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    part = s3.get_object(Bucket=peer.bucket, Key=key, PartNumber=2)
    assert (part["Body"].read(), part["PartsCount"], part["ResponseMetadata"]["HTTPStatusCode"]) == (second, 2, 206)
    assert part["ContentRange"] == f"bytes {len(first)}-{len(first) + len(second) - 1}/{len(first) + len(second)}"
    head = s3.head_object(Bucket=peer.bucket, Key=key, PartNumber=1)
    assert (head["ContentLength"], head["PartsCount"]) == (len(first), 2)
    assert failure(lambda: s3.get_object(Bucket=peer.bucket, Key=key, PartNumber=3)) == (400, "InvalidPartNumber")
    assert failure(lambda: s3.head_object(Bucket=peer.bucket, Key=key, PartNumber=3))[0] == 400
    s3.put_object(Bucket=peer.bucket, Key=key + "-single", Body=b"whole")
    assert s3.get_object(Bucket=peer.bucket, Key=key + "-single", PartNumber=1)["Body"].read() == b"whole"
    assert failure(lambda: s3.get_object(Bucket=peer.bucket, Key=key + "-single", PartNumber=2)) == (400, "InvalidPartNumber")


def checksum(algorithm, data):
    if algorithm == "crc32":
        return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


WRONG = {"sha256": 32, "sha1": 20, "crc32": 4, "crc32c": 4, "crc64nvme": 8}


@peer_params(lacking="checksums")
def test_a_checksum_that_does_not_match_is_bad_digest_on_put_part_and_post(both, name):
    peer = both[name]
    s3, key = peer.client(), fresh()
    for algorithm, size in WRONG.items():
        value = base64.b64encode(b"\x01" * size).decode()
        url = presigned_v4(peer, "PUT", f"/{peer.bucket}/{key}", headers={f"x-amz-checksum-{algorithm}": value.encode()})
        response = requests.put(url, data=b"the body", headers={f"x-amz-checksum-{algorithm}": value})
        assert (algorithm, response.status_code, code(response)) == (algorithm, 400, "BadDigest")
    upload = s3.create_multipart_upload(Bucket=peer.bucket, Key=key, ChecksumAlgorithm="CRC32")["UploadId"]
    wrong = checksum("crc32", b"other")
    url = presigned_v4(peer, "PUT", f"/{peer.bucket}/{key}", headers={"x-amz-checksum-crc32": wrong.encode()},
                       query={"partNumber": "1", "uploadId": upload})
    response = requests.put(url, data=b"part", headers={"x-amz-checksum-crc32": wrong})
    assert (response.status_code, code(response)) == (400, "BadDigest")
    for algorithm in ("sha256", "sha1", "crc32"):
        value = checksum(algorithm, b"posted")
        form = s3.generate_presigned_post(peer.bucket, key, Fields={f"x-amz-checksum-{algorithm}": value},
                                          Conditions=[{f"x-amz-checksum-{algorithm}": value}], ExpiresIn=60)
        assert requests.post(form["url"], data=form["fields"], files={"file": ("f", b"posted")}).status_code == 204
        refused = requests.post(form["url"], data=form["fields"], files={"file": ("f", b"tampered")})
        assert (algorithm, refused.status_code, code(refused)) == (algorithm, 400, "BadDigest")


@peer_params()
def test_the_same_part_sent_twice_at_once_completes_with_the_upload_that_finished_last(both, name):
    peer = both[name]
    s3, key = peer.client(), fresh()
    upload = s3.create_multipart_upload(Bucket=peer.bucket, Key=key)["UploadId"]
    first = s3.upload_part(Bucket=peer.bucket, Key=key, UploadId=upload, PartNumber=1, Body=b"A" * (5 * 1024 * 1024))["ETag"]
    url = urllib.parse.urlsplit(presigned_v4(peer, "PUT", f"/{peer.bucket}/{key}", query={"partNumber": "2", "uploadId": upload}))
    slow_body, fast_body = b"S" * 300_000, b"F" * 1000
    slow = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
    slow.putrequest("PUT", f"{url.path}?{url.query}")
    slow.putheader("Content-Length", str(len(slow_body)))
    slow.endheaders()
    slow.send(slow_body[:150_000])  # started first
    assert requests.put(urllib.parse.urlunsplit(url), data=fast_body).status_code == 200  # started second, finished first
    slow.send(slow_body[150_000:])
    answer = slow.getresponse()
    assert answer.status == 200
    winner = answer.getheader("ETag")
    s3.complete_multipart_upload(Bucket=peer.bucket, Key=key, UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": first}, {"PartNumber": 2, "ETag": winner}]})
    assert s3.head_object(Bucket=peer.bucket, Key=key)["ETag"].endswith('-2"')
    assert s3.get_object(Bucket=peer.bucket, Key=key)["Body"].read() == b"A" * (5 * 1024 * 1024) + slow_body
