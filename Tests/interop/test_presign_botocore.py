"""`dropgate presign` produces, byte for byte, the URL botocore's generate_presigned_url makes."""
import datetime
import os
import subprocess
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore.config import Config

WHEN = datetime.datetime(2026, 11, 29, 10, 0, 0)
AMZ_DATE = "20261129T100000Z"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEBYaDH/+token=="

KEYS = [
    "simple.txt",
    "a b.txt",
    "plus+sign",
    "eq=amp&",
    "unicode/ü/日本語.png",
    "percent%20literal",
    "double//slash",
    "./dot",
    "../parent/../x",
    "/leading",
    "trailing/",
    "tilde~star*quote'paren()",
    "semi;colon:at@comma,",
    "a" * 300,
]

OPERATIONS = {"get": "get_object", "put": "put_object", "head": "head_object", "delete": "delete_object"}


def botocore_url(method, bucket, key, region="us-east-1", expires=3600, token=None, endpoint=None, style="auto", params=None):
    session = boto3.session.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, aws_session_token=token, region_name=region)
    client = session.client("s3", endpoint_url=endpoint, config=Config(signature_version="s3v4", s3={"addressing_style": style}))
    # botocore's own Python signer is the reference: with awscrt installed (the store tests need it for
    # CRC32C) botocore would switch to the CRT signer, which orders the query differently.
    python_signers = {"s3v4": botocore.auth.S3SigV4Auth, "s3v4-query": botocore.auth.S3SigV4QueryAuth}
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=WHEN), mock.patch.dict(botocore.auth.AUTH_TYPE_MAPS, python_signers):
        return client.generate_presigned_url(OPERATIONS[method], Params={"Bucket": bucket, "Key": key, **(params or {})}, ExpiresIn=expires)


def dropgate_url(dropgate_bin, method, bucket, key, region="us-east-1", expires=3600, token=None, endpoint=None, extra=()):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_REGION=region)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    if endpoint:
        env["AWS_ENDPOINT_URL_S3"] = endpoint
    args = [dropgate_bin, "presign", method, f"s3://{bucket}/{key}", "--expires", str(expires), "--date", AMZ_DATE, *extra]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("method", ["get", "put", "head", "delete"])
def test_keys_and_methods_match_botocore(dropgate_bin, method, key):
    assert dropgate_url(dropgate_bin, method, "my-bucket", key) == botocore_url(method, "my-bucket", key)


@pytest.mark.parametrize(
    "bucket,region",
    [("my-bucket", "us-east-1"), ("my.dotted.bucket", "us-east-1"), ("my-bucket", "eu-west-1"), ("my.bucket", "ap-south-1"), ("ab", "us-east-1")],
)
def test_bucket_addressing_matches_botocore(dropgate_bin, bucket, region):
    assert dropgate_url(dropgate_bin, "get", bucket, "k/e y", region=region) == botocore_url("get", bucket, "k/e y", region=region)


def test_session_token_matches_botocore(dropgate_bin):
    assert dropgate_url(dropgate_bin, "get", "my-bucket", "a b", token=TOKEN) == botocore_url("get", "my-bucket", "a b", token=TOKEN)


def test_signed_upload_headers_match_botocore(dropgate_bin):
    checksum = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="
    ours = dropgate_url(
        dropgate_bin, "put", "my-bucket", "photo 1.png", expires=900,
        extra=["--content-type", "image/png", "--content-length", "12345", "--checksum-sha256", checksum],
    )
    theirs = botocore_url(
        "put", "my-bucket", "photo 1.png", expires=900,
        params={"ContentType": "image/png", "ContentLength": 12345, "ChecksumSHA256": checksum},
    )
    assert ours == theirs


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:5002", "http://localhost:9000", "https://s3.example.com"])
def test_custom_endpoints_match_botocore(dropgate_bin, endpoint):
    assert dropgate_url(dropgate_bin, "get", "my-bucket", "x y", endpoint=endpoint) == botocore_url("get", "my-bucket", "x y", endpoint=endpoint)


def test_virtual_hosted_flag_matches_botocore(dropgate_bin):
    ours = dropgate_url(dropgate_bin, "get", "my-bucket", "k", region="us-west-2", extra=["--virtual-hosted"])
    assert ours == botocore_url("get", "my-bucket", "k", region="us-west-2", style="virtual")
    ours = dropgate_url(dropgate_bin, "get", "my-bucket", "k", endpoint="http://localhost:9000", extra=["--virtual-hosted"])
    assert ours == botocore_url("get", "my-bucket", "k", endpoint="http://localhost:9000", style="virtual")
    ours = dropgate_url(dropgate_bin, "get", "my-bucket", "k", extra=["--path-style"])
    assert ours == botocore_url("get", "my-bucket", "k", style="path")


@pytest.mark.parametrize(
    "args,env,needle",
    [
        (["get", "s3://b/k"], {}, "No credentials"),
        (["get", "http://b/k"], {"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}, "s3://"),
        (["get", "s3://b"], {"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}, "no key"),
        (["get", "s3://b/k", "--expires", "604801"], {"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}, "604800"),
        (["get", "s3://b/k", "--date", "2026-11-29"], {"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}, "--date"),
        (["post", "s3://b/k"], {"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}, "post"),
        (["get", "s3://b/k", "--endpoint", "ftp://x"], {"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}, "http"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(dropgate_bin, args, env, needle):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run([dropgate_bin, "presign", *args], env={**clean, **env}, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert needle in result.stderr
