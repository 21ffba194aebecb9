"""The same requests against the embedded store and a real Ceph RGW: both must answer alike."""
import datetime
import hashlib
import os
import uuid

import boto3
import pytest
import requests
from botocore.config import Config

from store_fixtures import Store


def client(endpoint, access, secret):
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access, aws_secret_access_key=secret, region_name="us-east-1",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def outcome(call):
    """(status, code or payload summary) of a boto3 call, success or failure."""
    try:
        result = call()
    except Exception as error:
        response = getattr(error, "response", None)
        if response is None:
            raise
        return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]
    return 200, result


@pytest.fixture(scope="module")
def peers(dropgate_bin, rgw, tmp_path_factory):
    store = Store(dropgate_bin, tmp_path_factory.mktemp("store"), buckets=(rgw["bucket"],))
    ours = {"client": client(store.endpoint, "store-test-key", "store-test-secret/+="), "endpoint": store.endpoint,
            "access": "store-test-key", "secret": "store-test-secret/+="}
    theirs = {"client": client(rgw["endpoint"], rgw["access_key"], rgw["secret_key"]), "endpoint": rgw["endpoint"],
              "access": rgw["access_key"], "secret": rgw["secret_key"]}
    yield {"dropgate": ours, "rgw": theirs, "bucket": rgw["bucket"]}
    store.stop()


def roundtrip(peer, bucket, key):
    peer["client"].put_object(Bucket=bucket, Key=key, Body=b"compare me", ContentType="text/plain")
    got = peer["client"].get_object(Bucket=bucket, Key=key)
    return got["Body"].read(), got["ContentType"], got["ETag"]


def missing(peer, bucket, key):
    return outcome(lambda: peer["client"].get_object(Bucket=bucket, Key=key + "-missing"))


def wrong_secret(peer, bucket, key):
    return outcome(lambda: client(peer["endpoint"], peer["access"], "wrong-secret").get_object(Bucket=bucket, Key=key))


def unknown_key(peer, bucket, key):
    return outcome(lambda: client(peer["endpoint"], "NOSUCHKEY", "x").get_object(Bucket=bucket, Key=key))


def expired_url(peer, bucket, key):
    peer["client"].put_object(Bucket=bucket, Key=key, Body=b"x")
    url = peer["client"].generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=1)
    import time
    time.sleep(2)
    response = requests.get(url)
    return response.status_code, b"AccessDenied" in response.content


def tampered_url(peer, bucket, key):
    url = peer["client"].generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=60)
    response = requests.get(url.replace(key, key + "x"))
    return response.status_code, b"SignatureDoesNotMatch" in response.content


def bad_md5(peer, bucket, key):
    return outcome(lambda: peer["client"].put_object(Bucket=bucket, Key=key, Body=b"abc", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg=="))


def ranges(peer, bucket, key):
    peer["client"].put_object(Bucket=bucket, Key=key, Body=b"0123456789")
    part = peer["client"].get_object(Bucket=bucket, Key=key, Range="bytes=2-4")
    suffix = peer["client"].get_object(Bucket=bucket, Key=key, Range="bytes=-3")
    unsatisfiable = outcome(lambda: peer["client"].get_object(Bucket=bucket, Key=key, Range="bytes=20-30"))
    return part["Body"].read(), part["ContentRange"], suffix["Body"].read(), unsatisfiable


def not_modified(peer, bucket, key):
    etag = peer["client"].put_object(Bucket=bucket, Key=key, Body=b"etag me")["ETag"]
    return outcome(lambda: peer["client"].get_object(Bucket=bucket, Key=key, IfNoneMatch=etag))[0], \
        outcome(lambda: peer["client"].get_object(Bucket=bucket, Key=key, IfMatch='"0"'))


def small_part(peer, bucket, key):
    s3 = peer["client"]
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    e1 = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1, Body=b"a")["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=2, Body=b"b")["ETag"]
    result = outcome(lambda: s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                                         MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]}))
    invalid = outcome(lambda: s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                                          MultipartUpload={"Parts": [{"PartNumber": 7, "ETag": e1}]}))
    s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
    return result, invalid


def multipart_etag(peer, bucket, key):
    s3 = peer["client"]
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    first, second = b"p" * (5 * 1024 * 1024), b"q" * 100
    e1 = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1, Body=first)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=2, Body=second)["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    head = s3.head_object(Bucket=bucket, Key=key)
    return head["ETag"], head["ContentLength"], hashlib.md5(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest()


def post_policy(peer, bucket, key):
    form = peer["client"].generate_presigned_post(bucket, key, Conditions=[["content-length-range", 1, 10]], ExpiresIn=60)
    ok = requests.post(form["url"], data=form["fields"], files={"file": ("f", b"12345")})
    big = requests.post(form["url"], data=form["fields"], files={"file": ("f", b"x" * 11)})
    other = dict(form["fields"], key=key + "-elsewhere")
    moved = requests.post(form["url"], data=other, files={"file": ("f", b"1")})
    return ok.status_code, big.status_code, b"EntityTooLarge" in big.content, moved.status_code, b"AccessDenied" in moved.content


def listing(peer, bucket, key):
    for suffix in ["a/1", "a/2", "b/1", "c"]:
        peer["client"].put_object(Bucket=bucket, Key=f"{key}/{suffix}", Body=b"l")
    page = peer["client"].list_objects_v2(Bucket=bucket, Prefix=f"{key}/", Delimiter="/")
    paged = peer["client"].list_objects_v2(Bucket=bucket, Prefix=f"{key}/", MaxKeys=2)
    return ([c["Key"][len(key):] for c in page.get("Contents", [])], [p["Prefix"][len(key):] for p in page.get("CommonPrefixes", [])],
            [c["Key"][len(key):] for c in paged.get("Contents", [])], paged["IsTruncated"])


def no_such_bucket(peer, bucket, key):
    return outcome(lambda: peer["client"].get_object(Bucket="no-such-bucket-" + key[-6:].lower(), Key="x"))


SCENARIOS = [roundtrip, missing, wrong_secret, unknown_key, expired_url, tampered_url, bad_md5, ranges, not_modified, small_part,
             multipart_etag, post_policy, listing, no_such_bucket]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_store_answers_like_rgw(peers, scenario):
    key = f"compare/{scenario.__name__}/{uuid.uuid4().hex[:8]}"
    ours = scenario(peers["dropgate"], peers["bucket"], key)
    theirs = scenario(peers["rgw"], peers["bucket"], key)
    assert ours == theirs
