"""The embedded store behaves like S3 where strict clients look (issue 15): each behaviour from AWS's S3 API
reference, with boto3 or a raw request, against `dropgate store`."""
import base64
import datetime
import hashlib
import hmac
import socket
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

import pytest
import requests
from botocore.exceptions import ClientError

from store_fixtures import ACCESS_KEY, BUCKET, SECRET_KEY, Store, error_code


@pytest.fixture()
def store(dropgate_bin, tmp_path):
    running = Store(dropgate_bin, tmp_path / "data")
    yield running
    running.stop()


def signed_headers(store, method, path, when, date_header=True, amz_date=None, body=b""):
    """SigV4 header auth computed here, so the request time can be a `Date` header or any time at all."""
    payload = hashlib.sha256(body).hexdigest()
    host = f"127.0.0.1:{store.port}"
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": host, "x-amz-content-sha256": payload}
    if date_header:
        headers["date"] = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if amz_date:
        headers["x-amz-date"] = amz_date.strftime("%Y%m%dT%H%M%SZ")
        stamp = headers["x-amz-date"]
    names = sorted(headers)
    canonical = "\n".join([method, urllib.parse.quote(path), "", *[f"{n}:{headers[n]}" for n in names], "", ";".join(names), payload])
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (stamp[:8], "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    return headers


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def test_the_request_id_of_an_error_body_is_the_header(store):
    response = requests.get(f"{store.endpoint}/{BUCKET}/missing")
    body_id = ET.fromstring(response.content).findtext("RequestId")
    assert response.status_code == 403 and body_id and body_id == response.headers["x-amz-request-id"]
    s3 = store.client()
    try:
        s3.get_object(Bucket=BUCKET, Key="missing")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "NoSuchKey"
        assert error.response["ResponseMetadata"]["RequestId"] == error.response["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"]


def test_conditional_put_object_with_etags(store):
    s3 = store.client()
    etag = s3.put_object(Bucket=BUCKET, Key="c", Body=b"one")["ETag"]
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="c", Body=b"two", IfMatch='"0123456789abcdef0123456789abcdef"')) == (412, "PreconditionFailed")
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="absent", Body=b"two", IfMatch=etag)) == (404, "NoSuchKey")
    assert s3.put_object(Bucket=BUCKET, Key="c", Body=b"two", IfMatch=etag)["ETag"] != etag
    current = s3.head_object(Bucket=BUCKET, Key="c")["ETag"]
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="c", Body=b"three", IfNoneMatch=current)) == (412, "PreconditionFailed")
    assert s3.put_object(Bucket=BUCKET, Key="c", Body=b"three", IfNoneMatch=etag)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_object(Bucket=BUCKET, Key="c")["Body"].read() == b"three"


@pytest.mark.parametrize("value", ["", "something-else", "200-ok"])
def test_an_expect_other_than_100_continue_is_accepted(store, value):
    url = store.client().generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "e"}, ExpiresIn=60)
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\nExpect: {value}\r\n"
                           "Content-Length: 4\r\n\r\nbody".encode())
        assert connection.recv(4096).startswith(b"HTTP/1.1 200 ")


def test_x_amz_date_wins_over_date_and_a_signed_date_alone_is_accepted(store):
    store.client().put_object(Bucket=BUCKET, Key="d", Body=b"dated")
    path = f"/{BUCKET}/d"
    both = signed_headers(store, "GET", path, now() - datetime.timedelta(days=2), amz_date=now())
    assert requests.get(store.endpoint + path, headers=both).content == b"dated"  # the stale Date is not the request time
    alone = signed_headers(store, "GET", path, now())
    assert "x-amz-date" not in alone
    assert requests.get(store.endpoint + path, headers=alone).content == b"dated"


@pytest.mark.parametrize("hours", [1, 24 * 8])
def test_a_header_signed_request_that_is_too_old_is_403(store, hours):
    path = f"/{BUCKET}/d"
    old = now() - datetime.timedelta(hours=hours)
    response = requests.get(store.endpoint + path, headers=signed_headers(store, "GET", path, old, date_header=False, amz_date=old))
    assert response.status_code == 403 and ET.fromstring(response.content).findtext("Code") in ("RequestTimeTooSkewed", "AccessDenied")


def test_max_keys_zero_lists_nothing_and_is_not_truncated(store):
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"k")
    page = s3.list_objects_v2(Bucket=BUCKET, MaxKeys=0)
    assert page["KeyCount"] == 0 and "Contents" not in page and page["IsTruncated"] is False


def test_fetch_owner_returns_owners_in_v2_and_v1_always_has_them(store):
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key="owned", Body=b"o")
    assert "Owner" not in s3.list_objects_v2(Bucket=BUCKET)["Contents"][0]
    assert s3.list_objects_v2(Bucket=BUCKET, FetchOwner=True)["Contents"][0]["Owner"]["ID"] == "dropgate"
    assert s3.list_objects(Bucket=BUCKET)["Contents"][0]["Owner"]["ID"] == "dropgate"


@pytest.mark.parametrize("prefix,delimiter,contents,prefixes", [
    ("a/", "/", ["a/x"], ["a/b/", "a/c/"]),
    ("", "_", ["plain"], ["a_", "b_"]),
    ("a_", "_", ["a_1"], ["a_2_"]),
])
def test_delimiters_and_prefixes_that_end_with_them(store, prefix, delimiter, contents, prefixes):
    s3 = store.client()
    bucket = "delims"
    s3.create_bucket(Bucket=bucket)
    keys = {"/": ["a/x", "a/b/1", "a/b/2", "a/c/3", "z"], "_": ["plain", "a_1", "a_2_x", "b_3"]}[delimiter]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"d")
    page = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, Delimiter=delimiter)
    assert [o["Key"] for o in page.get("Contents", [])] == contents
    assert [p["Prefix"] for p in page.get("CommonPrefixes", [])] == prefixes


def test_list_buckets_pages_with_max_buckets_and_a_continuation_token(store):
    s3 = store.client()
    for name in ("page-a", "page-b", "page-c"):
        s3.create_bucket(Bucket=name)
    first = s3.list_buckets(MaxBuckets=2)
    assert [b["Name"] for b in first["Buckets"]] == ["dropgate", "page-a"] and first["ContinuationToken"]
    rest = s3.list_buckets(MaxBuckets=2, ContinuationToken=first["ContinuationToken"])
    assert [b["Name"] for b in rest["Buckets"]] == ["page-b", "page-c"] and "ContinuationToken" not in rest


@pytest.mark.parametrize("name", ["ab", "a" * 64, "Upper", "192.168.5.4", "a..b", "a.-b", "a-.b", "-ab", "ab-", "a_b"])
def test_bucket_names_follow_s3s_rules(store, name):
    response = requests.put(store.client().generate_presigned_url("create_bucket", Params={"Bucket": name}, ExpiresIn=60))
    assert response.status_code == 400 and b"InvalidBucketName" in response.content, (name, response.content)


def test_a_valid_name_with_double_hyphens_is_a_bucket(store):
    store.client().create_bucket(Bucket="a--b.c")
    assert "a--b.c" in [b["Name"] for b in store.client().list_buckets()["Buckets"]]


def test_recreating_your_own_bucket_in_us_east_1_keeps_it(store):
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key="kept", Body=b"kept")
    assert s3.create_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_object(Bucket=BUCKET, Key="kept")["Body"].read() == b"kept"


def test_a_key_that_is_not_utf8_is_400(store):
    url = store.client().generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "x"}, ExpiresIn=60)
    bad = url.replace(f"/{BUCKET}/x?", f"/{BUCKET}/%FF%FE?")
    response = requests.get(bad)
    assert response.status_code == 400 and ET.fromstring(response.content).findtext("Message") == "Couldn't parse the specified URI."


def crc64nvme(data):
    table = []
    for index in range(256):
        crc = index
        for _ in range(8):
            crc = (crc >> 1) ^ 0x9A6C9329AC4BC9B5 if crc & 1 else crc >> 1
        table.append(crc)
    value = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        value = table[(value ^ byte) & 0xFF] ^ (value >> 8)
    return base64.b64encode((value ^ 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")).decode()


def test_crc64nvme_is_verified_and_kept(store):
    s3 = store.client()
    data = b"123456789"
    assert crc64nvme(data) == base64.b64encode(bytes.fromhex("ae8b14860a799888")).decode()
    signed = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "crc64", "ChecksumCRC64NVME": crc64nvme(data)}, ExpiresIn=60)
    response = requests.put(signed, data=data, headers={"x-amz-checksum-crc64nvme": crc64nvme(data)})
    assert response.status_code == 200 and response.headers["x-amz-checksum-crc64nvme"] == crc64nvme(data)
    head = s3.head_object(Bucket=BUCKET, Key="crc64", ChecksumMode="ENABLED")
    assert head["ChecksumCRC64NVME"] == crc64nvme(data)
    wrong = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "crc64b", "ChecksumCRC64NVME": crc64nvme(b"other")}, ExpiresIn=60)
    refused = requests.put(wrong, data=data, headers={"x-amz-checksum-crc64nvme": crc64nvme(b"other")})
    assert refused.status_code == 400 and ET.fromstring(refused.content).findtext("Code") == "BadDigest"


@pytest.mark.parametrize("value,status,expected", [
    (base64.b64encode(hashlib.sha256(b"something else").digest()).decode(), 400, "BadDigest"),
    ("bm90IGEgZGlnZXN0", 400, "InvalidArgument"),
    ("%%%", 400, "InvalidArgument"),
])
def test_a_wrong_checksum_is_bad_digest_and_a_malformed_one_invalid_argument(store, value, status, expected):
    url = store.client().generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "sum", "ChecksumSHA256": value}, ExpiresIn=60)
    response = requests.put(url, data=b"the body", headers={"x-amz-checksum-sha256": value})
    assert (response.status_code, ET.fromstring(response.content).findtext("Code")) == (status, expected)


def test_representation_headers_are_stored_and_returned(store):
    s3 = store.client()
    expires = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    s3.put_object(Bucket=BUCKET, Key="rep", Body=b"r", ContentLanguage="de-CH", CacheControl="max-age=60", Expires=expires,
                  ContentDisposition='attachment; filename="r.txt"', ContentEncoding="identity")
    for answer in (s3.head_object(Bucket=BUCKET, Key="rep"), s3.get_object(Bucket=BUCKET, Key="rep")):
        headers = answer["ResponseMetadata"]["HTTPHeaders"]
        assert headers["content-language"] == "de-CH" and headers["cache-control"] == "max-age=60"
        assert headers["expires"] == "Wed, 02 Jan 2030 03:04:05 GMT" and headers["content-disposition"] == 'attachment; filename="r.txt"'
        assert headers["content-encoding"] == "identity"
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="rep-mp", ContentLanguage="fr", Expires=expires)["UploadId"]
    etag = s3.upload_part(Bucket=BUCKET, Key="rep-mp", UploadId=upload, PartNumber=1, Body=b"m")["ETag"]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="rep-mp", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    headers = s3.head_object(Bucket=BUCKET, Key="rep-mp")["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-language"] == "fr" and headers["expires"] == "Wed, 02 Jan 2030 03:04:05 GMT"


def multipart(s3, key, parts):
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    listed = [{"PartNumber": number, "ETag": s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=number, Body=body)["ETag"]}
              for number, body in enumerate(parts, start=1)]
    return upload, listed


def test_completing_again_with_the_same_parts_answers_the_same_etag(store):
    s3 = store.client()
    upload, parts = multipart(s3, "again", [b"a" * (5 * 1024 * 1024), b"b"])
    first = s3.complete_multipart_upload(Bucket=BUCKET, Key="again", UploadId=upload, MultipartUpload={"Parts": parts})
    second = s3.complete_multipart_upload(Bucket=BUCKET, Key="again", UploadId=upload, MultipartUpload={"Parts": parts})
    assert first["ETag"] == second["ETag"] and first["ETag"].endswith('-2"')
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="again", UploadId="0" * 32,
                                                           MultipartUpload={"Parts": parts})) == (404, "NoSuchUpload")
    assert error_code(lambda: s3.upload_part(Bucket=BUCKET, Key="again", UploadId=upload, PartNumber=3, Body=b"late")) == (404, "NoSuchUpload")
    assert not [u for u in s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) if u["UploadId"] == upload]


def test_a_part_uploaded_again_replaces_the_earlier_one(store):
    s3 = store.client()
    upload, _ = multipart(s3, "replaced", [b"first"])
    etag = s3.upload_part(Bucket=BUCKET, Key="replaced", UploadId=upload, PartNumber=1, Body=b"second")["ETag"]
    assert [p["ETag"] for p in s3.list_parts(Bucket=BUCKET, Key="replaced", UploadId=upload)["Parts"]] == [etag]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="replaced", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.get_object(Bucket=BUCKET, Key="replaced")["Body"].read() == b"second"


def test_conditional_complete_multipart_upload(store):
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key="cond", Body=b"there")
    upload, parts = multipart(s3, "cond", [b"new"])
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="cond", UploadId=upload, MultipartUpload={"Parts": parts},
                                                           IfNoneMatch="*")) == (412, "PreconditionFailed")
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="cond", UploadId=upload, MultipartUpload={"Parts": parts},
                                                           IfMatch='"0123456789abcdef0123456789abcdef"')) == (412, "PreconditionFailed")
    current = s3.head_object(Bucket=BUCKET, Key="cond")["ETag"]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="cond", UploadId=upload, MultipartUpload={"Parts": parts}, IfMatch=current)
    assert s3.get_object(Bucket=BUCKET, Key="cond")["Body"].read() == b"new"


def test_a_chunked_put_with_no_content_length_is_stored_whole(store):
    s3 = store.client()
    url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "chunked"}, ExpiresIn=60)
    pieces = [b"first piece ", b"x" * 100_000, b" last"]
    response = requests.put(url, data=iter(pieces))  # a generator: requests sends Transfer-Encoding: chunked
    assert response.status_code == 200, response.content
    assert s3.get_object(Bucket=BUCKET, Key="chunked")["Body"].read() == b"".join(pieces)


def presigned_put_signing(store, key, headers):
    """A presigned PUT (SigV4 query auth, computed here) that signs `headers`, whose values are the raw bytes sent."""
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    signed = {"host": f"127.0.0.1:{store.port}".encode(), **headers}
    names = sorted(signed)
    query = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{ACCESS_KEY}/{scope}", "X-Amz-Date": stamp,
             "X-Amz-Expires": "60", "X-Amz-SignedHeaders": ";".join(names)}
    encoded = "&".join(f"{k}={urllib.parse.quote(v, safe='-_.~')}" for k, v in sorted(query.items()))
    path = f"/{BUCKET}/{key}"
    canonical = b"\n".join([b"PUT", path.encode(), encoded.encode(), *[n.encode() + b":" + signed[n] for n in names], b"",
                            ";".join(names).encode(), b"UNSIGNED-PAYLOAD"])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical).hexdigest()])
    secret = ("AWS4" + SECRET_KEY).encode()
    for part in (stamp[:8], "us-east-1", "s3", "aws4_request"):
        secret = hmac.new(secret, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(secret, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{store.endpoint}{path}?{encoded}&X-Amz-Signature={signature}"


def test_non_ascii_metadata_round_trips_unchanged(store):
    s3 = store.client()
    value = "Zürich – 東京".encode()
    unsigned = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "meta"}, ExpiresIn=60)
    refused = requests.put(unsigned, data=b"m", headers={"x-amz-meta-city": value})  # metadata the URL never signed
    assert refused.status_code == 403 and b"<HeadersNotSigned>x-amz-meta-city</HeadersNotSigned>" in refused.content
    signed = presigned_put_signing(store, "meta", {"x-amz-meta-city": value})
    assert requests.put(signed, data=b"m", headers={"x-amz-meta-city": value}).status_code == 200
    got = requests.get(s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "meta"}, ExpiresIn=60))
    assert got.headers["x-amz-meta-city"].encode("latin-1") == value


def test_post_object_verifies_a_checksum_field(store):
    s3 = store.client()
    good = base64.b64encode(hashlib.sha256(b"posted").digest()).decode()
    for value, data, expected in [(good, b"posted", 204), (good, b"tampered", 400)]:
        form = s3.generate_presigned_post(BUCKET, "posted", Fields={"x-amz-checksum-sha256": value},
                                          Conditions=[{"x-amz-checksum-sha256": value}], ExpiresIn=60)
        response = requests.post(form["url"], data=form["fields"], files={"file": ("p.txt", data)})
        assert response.status_code == expected, response.content
        if expected == 400:
            assert ET.fromstring(response.content).findtext("Code") == "BadDigest"
    head = s3.head_object(Bucket=BUCKET, Key="posted", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == good and s3.get_object(Bucket=BUCKET, Key="posted")["Body"].read() == b"posted"


def test_url_encoding_covers_prefix_delimiter_and_start_after(store):
    s3 = store.client()
    for key in ["a b/1", "a b/2+3", "a b/ü"]:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"u")
    url = s3.generate_presigned_url("list_objects_v2", Params={"Bucket": BUCKET, "Prefix": "a b/", "StartAfter": "a b/1",
                                                               "Delimiter": "+", "EncodingType": "url"}, ExpiresIn=60)
    tree = ET.fromstring(requests.get(url).content)
    ns = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
    assert tree.findtext("s3:Prefix", namespaces=ns) == "a%20b/" and tree.findtext("s3:StartAfter", namespaces=ns) == "a%20b/1"
    assert tree.findtext("s3:Delimiter", namespaces=ns) == "%2B"
    assert [p.findtext("s3:Prefix", namespaces=ns) for p in tree.findall("s3:CommonPrefixes", ns)] == ["a%20b/2%2B"]
    assert [c.findtext("s3:Key", namespaces=ns) for c in tree.findall("s3:Contents", ns)] == ["a%20b/%C3%BC"]
    page = s3.list_objects_v2(Bucket=BUCKET, Prefix="a b/", StartAfter="a b/1", Delimiter="+")
    assert page["Prefix"] == "a b/" and page["StartAfter"] == "a b/1" and page["Delimiter"] == "+"


def checksum_upload(s3, key, algorithm, parts, **create):
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key, ChecksumAlgorithm=algorithm, **create)
    listed = []
    for number, body in enumerate(parts, start=1):
        answer = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload["UploadId"], PartNumber=number, Body=body, ChecksumAlgorithm=algorithm)
        listed.append({"PartNumber": number, "ETag": answer["ETag"], f"Checksum{algorithm}": answer[f"Checksum{algorithm}"]})
    return upload, listed


def test_a_composite_multipart_checksum_is_the_hash_of_the_part_digests(store):
    s3 = store.client()
    parts = [b"a" * (5 * 1024 * 1024), b"tail"]
    upload, listed = checksum_upload(s3, "composite", "SHA256", parts)
    assert upload["ChecksumAlgorithm"] == "SHA256" and upload["ChecksumType"] == "COMPOSITE"
    digests = b"".join(hashlib.sha256(part).digest() for part in parts)
    expected = base64.b64encode(hashlib.sha256(digests).digest()).decode() + "-2"
    assert [p["ChecksumSHA256"] for p in listed] == [base64.b64encode(hashlib.sha256(part).digest()).decode() for part in parts]
    page = s3.list_parts(Bucket=BUCKET, Key="composite", UploadId=upload["UploadId"])
    assert page["ChecksumAlgorithm"] == "SHA256" and page["Parts"][1]["ChecksumSHA256"] == listed[1]["ChecksumSHA256"]
    done = s3.complete_multipart_upload(Bucket=BUCKET, Key="composite", UploadId=upload["UploadId"], MultipartUpload={"Parts": listed})
    assert done["ChecksumSHA256"] == expected and done["ChecksumType"] == "COMPOSITE"
    head = s3.head_object(Bucket=BUCKET, Key="composite", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == expected and head["ChecksumType"] == "COMPOSITE"


def test_a_full_object_crc_covers_the_whole_object(store):
    s3 = store.client()
    parts = [b"x" * (5 * 1024 * 1024), b"end"]
    upload, listed = checksum_upload(s3, "full", "CRC32", parts, ChecksumType="FULL_OBJECT")
    done = s3.complete_multipart_upload(Bucket=BUCKET, Key="full", UploadId=upload["UploadId"], MultipartUpload={"Parts": listed})
    expected = base64.b64encode(zlib.crc32(b"".join(parts)).to_bytes(4, "big")).decode()
    assert done["ChecksumCRC32"] == expected and done["ChecksumType"] == "FULL_OBJECT"
    assert s3.head_object(Bucket=BUCKET, Key="full", ChecksumMode="ENABLED")["ChecksumCRC32"] == expected


def test_multipart_checksums_are_checked(store):
    s3 = store.client()
    upload, listed = checksum_upload(s3, "checked", "SHA256", [b"only"])
    listed[0]["ChecksumSHA256"] = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="checked", UploadId=upload["UploadId"],
                                                           MultipartUpload={"Parts": listed})) == (400, "InvalidPart")
    assert error_code(lambda: s3.upload_part(Bucket=BUCKET, Key="checked", UploadId=upload["UploadId"], PartNumber=2, Body=b"b",
                                             ChecksumAlgorithm="CRC32")) == (400, "InvalidRequest")
    for algorithm, kind in [("SHA256", "FULL_OBJECT"), ("CRC64NVME", "COMPOSITE")]:
        assert error_code(lambda: s3.create_multipart_upload(Bucket=BUCKET, Key="bad", ChecksumAlgorithm=algorithm,
                                                             ChecksumType=kind)) == (400, "InvalidRequest")


def test_the_part_upload_that_finishes_last_wins_whatever_order_they_started(store):
    import http.client
    s3 = store.client()
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="race")["UploadId"]
    url = urllib.parse.urlsplit(s3.generate_presigned_url(
        "upload_part", Params={"Bucket": BUCKET, "Key": "race", "UploadId": upload, "PartNumber": 1}, ExpiresIn=60))
    slow_body, fast_body = b"S" * 200_000, b"F" * 1000
    slow = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    slow.putrequest("PUT", f"{url.path}?{url.query}")
    slow.putheader("Content-Length", str(len(slow_body)))
    slow.endheaders()
    slow.send(slow_body[:100_000])  # started first, still sending
    assert requests.put(urllib.parse.urlunsplit(url), data=fast_body).status_code == 200  # started second, finished first
    slow.send(slow_body[100_000:])
    slow_etag = slow.getresponse().getheader("ETag")
    parts = s3.list_parts(Bucket=BUCKET, Key="race", UploadId=upload)["Parts"]
    assert [p["ETag"] for p in parts] == [slow_etag] and parts[0]["Size"] == len(slow_body)


def test_bucket_lifecycle_rules_are_stored_and_a_rule_without_an_action_is_refused(store):
    s3 = store.client()
    rule = {"ID": "abort", "Filter": {"Prefix": "uploads/"}, "Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}
    assert error_code(lambda: s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)) == (404, "NoSuchLifecycleConfiguration")
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [rule]})
    assert s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"] == [rule]
    empty = {"ID": "none", "Filter": {"Prefix": ""}, "Status": "Enabled"}
    assert error_code(lambda: s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [empty]})) == (400, "InvalidArgument")
    s3.delete_bucket_lifecycle(Bucket=BUCKET)
    assert error_code(lambda: s3.get_bucket_lifecycle_configuration(Bucket=BUCKET))[0] == 404
