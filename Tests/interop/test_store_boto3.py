"""The embedded store driven by boto3 and awscli in their default configuration."""
import hashlib
import os
import subprocess

import pytest
import requests

from store_fixtures import BUCKET, Store, error_code


@pytest.fixture()
def store(dropgate_bin, tmp_path):
    running = Store(dropgate_bin, tmp_path / "data")
    yield running
    running.stop()


def test_aws_s3_cp_30_mib_both_ways(store, tmp_path):
    source = tmp_path / "thirty.bin"
    source.write_bytes(os.urandom(30 * 1024 * 1024))
    up = subprocess.run(["aws", "s3", "cp", str(source), f"s3://{BUCKET}/dir/thirty.bin"], env=store.env(), capture_output=True, text=True)
    assert up.returncode == 0, up.stderr
    copy = tmp_path / "copy.bin"
    down = subprocess.run(["aws", "s3", "cp", f"s3://{BUCKET}/dir/thirty.bin", str(copy)], env=store.env(), capture_output=True, text=True)
    assert down.returncode == 0, down.stderr
    assert copy.read_bytes() == source.read_bytes()
    listing = subprocess.run(["aws", "s3", "ls", f"s3://{BUCKET}/dir/"], env=store.env(), capture_output=True, text=True)
    assert "thirty.bin" in listing.stdout and str(30 * 1024 * 1024) in listing.stdout


def test_s3api_bucket_calls(store):
    env = store.env()
    run = lambda *args: subprocess.run(["aws", "s3api", *args], env=env, capture_output=True, text=True)
    assert run("create-bucket", "--bucket", "second-bucket").returncode == 0
    assert run("head-bucket", "--bucket", "second-bucket").returncode == 0
    assert "second-bucket" in run("list-buckets").stdout
    assert run("put-object", "--bucket", "second-bucket", "--key", "k", "--body", "/etc/hostname").returncode == 0
    refused = run("delete-bucket", "--bucket", "second-bucket")
    assert refused.returncode != 0 and "BucketNotEmpty" in refused.stderr
    assert run("delete-object", "--bucket", "second-bucket", "--key", "k").returncode == 0
    assert run("delete-bucket", "--bucket", "second-bucket").returncode == 0
    assert "NotFound" in run("head-bucket", "--bucket", "second-bucket").stderr or run("head-bucket", "--bucket", "second-bucket").returncode != 0


def test_objects_metadata_and_reads(store):
    s3 = store.client()
    put = s3.put_object(Bucket=BUCKET, Key="docs/a.txt", Body=b"0123456789", ContentType="text/plain",
                        ContentDisposition='attachment; filename="a.txt"', CacheControl="max-age=60", Metadata={"owner": "ada"})
    etag = put["ETag"]
    assert etag == '"%s"' % hashlib.md5(b"0123456789").hexdigest()
    got = s3.get_object(Bucket=BUCKET, Key="docs/a.txt")
    assert got["Body"].read() == b"0123456789"
    assert got["ContentType"] == "text/plain" and got["CacheControl"] == "max-age=60"
    assert got["ContentDisposition"] == 'attachment; filename="a.txt"' and got["Metadata"] == {"owner": "ada"}
    ranged = s3.get_object(Bucket=BUCKET, Key="docs/a.txt", Range="bytes=2-4")
    assert ranged["Body"].read() == b"234" and ranged["ContentRange"] == "bytes 2-4/10"
    assert s3.get_object(Bucket=BUCKET, Key="docs/a.txt", Range="bytes=-3")["Body"].read() == b"789"
    assert error_code(lambda: s3.get_object(Bucket=BUCKET, Key="docs/a.txt", Range="bytes=50-60")) == (416, "InvalidRange")
    assert error_code(lambda: s3.get_object(Bucket=BUCKET, Key="docs/a.txt", IfNoneMatch=etag))[0] == 304
    assert error_code(lambda: s3.get_object(Bucket=BUCKET, Key="docs/a.txt", IfMatch='"nope"')) == (412, "PreconditionFailed")
    assert s3.get_object(Bucket=BUCKET, Key="docs/a.txt", IfMatch=etag)["Body"].read() == b"0123456789"
    later = got["LastModified"]
    assert error_code(lambda: s3.get_object(Bucket=BUCKET, Key="docs/a.txt", IfModifiedSince=later))[0] == 304
    override = s3.get_object(Bucket=BUCKET, Key="docs/a.txt", ResponseContentType="application/x-test",
                             ResponseContentDisposition='inline; filename="b.txt"')
    assert override["ContentType"] == "application/x-test" and override["ContentDisposition"] == 'inline; filename="b.txt"'
    head = s3.head_object(Bucket=BUCKET, Key="docs/a.txt")
    assert head["ContentLength"] == 10 and head["ETag"] == etag
    assert error_code(lambda: s3.head_object(Bucket=BUCKET, Key="docs/missing"))[0] == 404
    assert error_code(lambda: s3.get_object(Bucket=BUCKET, Key="docs/missing")) == (404, "NoSuchKey")
    assert error_code(lambda: s3.get_object(Bucket="no-such-bucket", Key="x")) == (404, "NoSuchBucket")


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_checksums_are_verified_and_returned(store, algorithm):
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key=f"sum/{algorithm}", Body=b"checksummed body", ChecksumAlgorithm=algorithm)
    head = s3.head_object(Bucket=BUCKET, Key=f"sum/{algorithm}", ChecksumMode="ENABLED")
    assert head.get(f"Checksum{algorithm}")
    wrong = {"CRC32": "AAAAAA==", "CRC32C": "AAAAAA==", "SHA1": "A" * 27 + "=", "SHA256": "A" * 43 + "="}[algorithm]
    status, code = error_code(lambda: s3.put_object(Bucket=BUCKET, Key=f"sum/{algorithm}-bad", Body=b"x", **{f"Checksum{algorithm}": wrong}))
    assert (status, code) == (400, "BadDigest")
    assert error_code(lambda: s3.head_object(Bucket=BUCKET, Key=f"sum/{algorithm}-bad"))[0] == 404


def test_content_md5_and_if_none_match(store):
    s3 = store.client()
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="md5", Body=b"abc", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")) == (400, "BadDigest")
    s3.put_object(Bucket=BUCKET, Key="once", Body=b"first", IfNoneMatch="*")
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="once", Body=b"second", IfNoneMatch="*")) == (412, "PreconditionFailed")
    assert s3.get_object(Bucket=BUCKET, Key="once")["Body"].read() == b"first"


def test_list_objects_v2_pages_and_delimits(store):
    s3 = store.client()
    keys = ["a/1", "a/2", "a/b/3", "b/1", "c", "d/x/y"]
    for key in keys:
        s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode())
    everything = s3.list_objects_v2(Bucket=BUCKET)
    assert [c["Key"] for c in everything["Contents"]] == keys and everything["KeyCount"] == 6
    top = s3.list_objects_v2(Bucket=BUCKET, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "b/", "d/"] and [c["Key"] for c in top["Contents"]] == ["c"]
    under = s3.list_objects_v2(Bucket=BUCKET, Prefix="a/", Delimiter="/")
    assert [c["Key"] for c in under["Contents"]] == ["a/1", "a/2"] and [p["Prefix"] for p in under["CommonPrefixes"]] == ["a/b/"]
    seen, token = [], None
    while True:
        page = s3.list_objects_v2(Bucket=BUCKET, MaxKeys=2, **({"ContinuationToken": token} if token else {}))
        seen += [c["Key"] for c in page.get("Contents", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert seen == keys
    assert [c["Key"] for c in s3.list_objects_v2(Bucket=BUCKET, StartAfter="b/1")["Contents"]] == ["c", "d/x/y"]
    paginator = s3.get_paginator("list_objects_v2")
    prefixes = [p["Prefix"] for page in paginator.paginate(Bucket=BUCKET, Delimiter="/", PaginationConfig={"PageSize": 1}) for p in page.get("CommonPrefixes", [])]
    assert prefixes == ["a/", "b/", "d/"]
    deleted = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == sorted(keys)
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


@pytest.mark.parametrize("key", ["../../etc/passwd", "//double//slash", "/leading", "100%", "sp ace+plus", "ü/日本語", "./dot/../x", "k" * 1024])
def test_any_s3_key_is_stored_inside_the_data_folder(store, tmp_path, key):
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode())
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == key.encode()
    assert key in [c["Key"] for c in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    data = (tmp_path / "data").resolve()
    for root, _, files in os.walk(tmp_path):
        for name in files:
            assert (pathlib_resolve(root, name)).is_relative_to(data)
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="k" * 1025, Body=b"x")) == (400, "KeyTooLongError")


def pathlib_resolve(root, name):
    import pathlib
    return (pathlib.Path(root) / name).resolve()


def test_multipart_with_s3api_calls(store):
    s3 = store.client()
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="mp.bin", ContentType="application/x-parts")["UploadId"]
    part1, part2 = os.urandom(5 * 1024 * 1024), os.urandom(1234)
    e1 = s3.upload_part(Bucket=BUCKET, Key="mp.bin", UploadId=upload, PartNumber=1, Body=part1)["ETag"]
    e2 = s3.upload_part(Bucket=BUCKET, Key="mp.bin", UploadId=upload, PartNumber=2, Body=part2)["ETag"]
    parts = s3.list_parts(Bucket=BUCKET, Key="mp.bin", UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in parts] == [(1, e1, len(part1)), (2, e2, len(part2))]
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="mp.bin", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]})) == (400, "InvalidPartOrder")
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="mp.bin", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"0000"'}]})) == (400, "InvalidPart")
    done = s3.complete_multipart_upload(Bucket=BUCKET, Key="mp.bin", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    digests = hashlib.md5(bytes.fromhex(e1.strip('"')) + bytes.fromhex(e2.strip('"'))).hexdigest()
    assert done["ETag"] == f'"{digests}-2"'
    got = s3.get_object(Bucket=BUCKET, Key="mp.bin")
    assert got["Body"].read() == part1 + part2 and got["ContentType"] == "application/x-parts"
    assert error_code(lambda: s3.list_parts(Bucket=BUCKET, Key="mp.bin", UploadId=upload)) == (404, "NoSuchUpload")


def test_small_middle_part_is_refused_and_abort_works(store):
    s3 = store.client()
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="small.bin")["UploadId"]
    e1 = s3.upload_part(Bucket=BUCKET, Key="small.bin", UploadId=upload, PartNumber=1, Body=b"tiny")["ETag"]
    e2 = s3.upload_part(Bucket=BUCKET, Key="small.bin", UploadId=upload, PartNumber=2, Body=b"tail")["ETag"]
    assert error_code(lambda: s3.complete_multipart_upload(Bucket=BUCKET, Key="small.bin", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})) == (400, "EntityTooSmall")
    s3.abort_multipart_upload(Bucket=BUCKET, Key="small.bin", UploadId=upload)
    assert error_code(lambda: s3.upload_part(Bucket=BUCKET, Key="small.bin", UploadId=upload, PartNumber=3, Body=b"x")) == (404, "NoSuchUpload")


def test_a_forged_signature_version_2_url_is_refused(store):
    # SigV2 is taken (test_store_sigv2.py); a signature that is not the secret's is still a 403.
    url = f"{store.endpoint}/{BUCKET}/x?AWSAccessKeyId=store-test-key&Signature=abc&Expires=9999999999"
    refused = requests.get(url)
    assert refused.status_code == 403 and b"<Code>SignatureDoesNotMatch</Code>" in refused.content


def test_auth_failures(store):
    assert error_code(lambda: store.client(secret="wrong").list_buckets()) == (403, "SignatureDoesNotMatch")
    assert error_code(lambda: store.client(access="UNKNOWN").list_buckets()) == (403, "InvalidAccessKeyId")
    anonymous = requests.get(f"{store.endpoint}/{BUCKET}/x")
    assert anonymous.status_code == 403 and b"<Code>AccessDenied</Code>" in anonymous.content


def test_presigned_urls_with_curl(store, tmp_path):
    s3 = store.client()
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "pre/a b.txt", "ContentType": "text/plain"}, ExpiresIn=60)
    source = tmp_path / "a.txt"
    source.write_bytes(b"presigned upload")
    put = subprocess.run(["curl", "-sS", "-w", "%{http_code}", "-o", "/dev/null", "-T", str(source), "-H", "Content-Type: text/plain", put_url],
                         capture_output=True, text=True)
    assert put.stdout == "200"
    wrong_type = subprocess.run(["curl", "-sS", "-T", str(source), "-H", "Content-Type: text/html", put_url], capture_output=True, text=True)
    assert "SignatureDoesNotMatch" in wrong_type.stdout
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "pre/a b.txt"}, ExpiresIn=60)
    assert requests.get(get_url).content == b"presigned upload"
    assert requests.delete(get_url).status_code == 403
    tampered = get_url.replace("pre/a%20b.txt", "pre/other.txt")
    assert b"SignatureDoesNotMatch" in requests.get(tampered).content


def test_presigned_post_forms(store):
    s3 = store.client()
    form = s3.generate_presigned_post(BUCKET, "forms/${filename}", Fields={"Content-Type": "image/png", "success_action_status": "201"},
                                      Conditions=[["starts-with", "$key", "forms/"], {"Content-Type": "image/png"},
                                                  {"success_action_status": "201"}, ["content-length-range", 1, 100]], ExpiresIn=60)
    ok = requests.post(form["url"], data=form["fields"], files={"file": ("pic.png", b"\x89PNG small")})
    assert ok.status_code == 201, ok.text
    assert b"<Key>forms/pic.png</Key>" in ok.content
    stored = s3.get_object(Bucket=BUCKET, Key="forms/pic.png")
    assert stored["Body"].read() == b"\x89PNG small" and stored["ContentType"] == "image/png"
    too_big = requests.post(form["url"], data=form["fields"], files={"file": ("big.png", b"x" * 101)})
    assert too_big.status_code == 400 and b"EntityTooLarge" in too_big.content
    wrong_type = dict(form["fields"], **{"Content-Type": "text/html"})
    refused = requests.post(form["url"], data=wrong_type, files={"file": ("pic.png", b"x")})
    assert refused.status_code == 403 and b"AccessDenied" in refused.content
    edited = dict(form["fields"], policy=form["fields"]["policy"][:-4] + "AAAA")
    assert requests.post(form["url"], data=edited, files={"file": ("pic.png", b"x")}).status_code == 403


def test_virtual_hosted_addressing(store, tmp_path):
    """`dropgate.localhost` does not resolve here, so curl connects to 127.0.0.1 and sends that Host."""
    s3 = store.client(style="virtual")
    source = tmp_path / "vh.txt"
    source.write_bytes(b"virtual")
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "vh.txt"}, ExpiresIn=60)
    assert put_url.startswith(f"http://{BUCKET}.localhost:{store.port}/vh.txt?")
    connect = ["--connect-to", f"{BUCKET}.localhost:{store.port}:127.0.0.1:{store.port}"]
    put = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", *connect, "-T", str(source), put_url], capture_output=True, text=True)
    assert put.stdout == "200", put.stderr
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "vh.txt"}, ExpiresIn=60)
    assert subprocess.run(["curl", "-sS", *connect, get_url], capture_output=True).stdout == b"virtual"
    assert store.client().get_object(Bucket=BUCKET, Key="vh.txt")["Body"].read() == b"virtual"


def test_cors_preflight_and_exposed_etag(store):
    s3 = store.client()
    preflight = requests.options(f"{store.endpoint}/{BUCKET}/x", headers={
        "Origin": "http://localhost:5001", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type,x-amz-checksum-sha256"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    assert "ETag" in preflight.headers["Access-Control-Expose-Headers"]
    url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "cors.txt"}, ExpiresIn=60)
    put = requests.put(url, data=b"x", headers={"Origin": "http://localhost:5001"})
    assert put.status_code == 200 and put.headers["Access-Control-Expose-Headers"] == "ETag"
    s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [{"AllowedOrigins": ["http://app.example"], "AllowedMethods": ["GET"]}]})
    assert s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"][0]["AllowedOrigins"] == ["http://app.example"]
    denied = requests.options(f"{store.endpoint}/{BUCKET}/x", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"})
    assert denied.status_code == 403


def test_stale_multipart_uploads_are_removed(dropgate_bin, tmp_path):
    import time
    store = Store(dropgate_bin, tmp_path / "stale", extra=["--stale-upload-age", "1"])
    try:
        s3 = store.client()
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key="forgotten")["UploadId"]
        s3.upload_part(Bucket=BUCKET, Key="forgotten", UploadId=upload, PartNumber=1, Body=b"part")
        assert s3.list_parts(Bucket=BUCKET, Key="forgotten", UploadId=upload)["Parts"]
        time.sleep(3.5)
        assert error_code(lambda: s3.list_parts(Bucket=BUCKET, Key="forgotten", UploadId=upload)) == (404, "NoSuchUpload")
        assert list((tmp_path / "stale" / "multipart").iterdir()) == []
    finally:
        store.stop()


def test_if_match_replaces_only_the_version_read(store):
    s3 = store.client()
    first = s3.put_object(Bucket=BUCKET, Key="versioned", Body=b"one")["ETag"]
    second = s3.put_object(Bucket=BUCKET, Key="versioned", Body=b"two", IfMatch=first)["ETag"]
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="versioned", Body=b"three", IfMatch=first)) == (412, "PreconditionFailed")
    assert s3.get_object(Bucket=BUCKET, Key="versioned")["Body"].read() == b"two"
    assert error_code(lambda: s3.put_object(Bucket=BUCKET, Key="missing", Body=b"x", IfMatch=second)) == (404, "NoSuchKey")  # as S3 answers
