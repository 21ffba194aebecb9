"""Signature Version 2 on the embedded store, as MinIO and Ceph RGW take it (issue 15): boto3 with
signature_version="s3" and boto3's default presigned URLs work, in header and query form; a tampered or expired
URL is 403; with --no-sigv2 the store gives its clear SigV4-only error."""
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ET

import boto3
import pytest
import requests
from botocore.config import Config

from store_fixtures import ACCESS_KEY, BUCKET, SECRET_KEY, Store


@pytest.fixture()
def store(dropgate_bin, tmp_path):
    running = Store(dropgate_bin, tmp_path / "data")
    yield running
    running.stop()


def v2_client(store, **config):
    return boto3.client("s3", endpoint_url=store.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name="us-east-1", config=Config(signature_version="s3", s3={"addressing_style": "path"}, **config))


def code(response):
    return ET.fromstring(response.content).findtext("Code")


def test_boto3_with_signature_version_2_puts_gets_lists_and_deletes(store):
    s3 = v2_client(store)
    s3.put_object(Bucket=BUCKET, Key="v2/ä b.txt", Body=b"signed with v2", ContentType="text/plain", Metadata={"note": "x"})
    got = s3.get_object(Bucket=BUCKET, Key="v2/ä b.txt")
    assert got["Body"].read() == b"signed with v2" and got["Metadata"] == {"note": "x"}
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="v2/")["Contents"]] == ["v2/ä b.txt"]
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="v2/parts")["UploadId"]
    etag = s3.upload_part(Bucket=BUCKET, Key="v2/parts", UploadId=upload, PartNumber=1, Body=b"p" * 10)["ETag"]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="v2/parts", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.get_object(Bucket=BUCKET, Key="v2/parts")["Body"].read() == b"p" * 10
    s3.delete_object(Bucket=BUCKET, Key="v2/ä b.txt")


def test_presigned_v2_urls_work_with_curl_and_refuse_tampering_and_expiry(store, tmp_path):
    s3 = v2_client(store)
    put = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "curl.txt"}, ExpiresIn=60)
    assert "Signature=" in put and "AWSAccessKeyId=" in put
    source = tmp_path / "curl.txt"
    source.write_bytes(b"from curl")
    subprocess.run(["curl", "-sS", "--fail-with-body", "-T", str(source), put], check=True, capture_output=True)
    get = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "curl.txt",
                                                          "ResponseContentDisposition": "attachment; filename=\"c.txt\""}, ExpiresIn=60)
    fetched = subprocess.run(["curl", "-sS", "--fail-with-body", "-D", "-", get], check=True, capture_output=True).stdout
    assert fetched.endswith(b"from curl") and b'attachment; filename="c.txt"' in fetched
    tampered = get.replace("curl.txt", "other.txt")
    assert requests.get(tampered).status_code == 403 and code(requests.get(tampered)) == "SignatureDoesNotMatch"
    parts = urllib.parse.urlsplit(get)
    query = urllib.parse.parse_qs(parts.query)
    query["Expires"] = [str(int(time.time()) + 3600)]
    longer = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, doseq=True)))
    assert requests.get(longer).status_code == 403  # a changed expiry is a changed signature
    expired = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "curl.txt"}, ExpiresIn=1)
    time.sleep(2.1)
    response = requests.get(expired)
    assert response.status_code == 403 and code(response) == "AccessDenied"


def test_boto3s_default_presigned_url_for_a_custom_endpoint_works(store):
    default = boto3.client("s3", endpoint_url=store.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                           region_name="us-east-1")
    store.client().put_object(Bucket=BUCKET, Key="default.txt", Body=b"default presign")
    url = default.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "default.txt"}, ExpiresIn=60)
    assert requests.get(url).content == b"default presign", url


def test_a_wrong_secret_or_a_stale_date_is_refused(store):
    wrong = boto3.client("s3", endpoint_url=store.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="wrong",
                         region_name="us-east-1", config=Config(signature_version="s3", s3={"addressing_style": "path"}))
    url = wrong.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "x"}, ExpiresIn=60)
    assert code(requests.get(url)) == "SignatureDoesNotMatch"
    stale = requests.get(f"{store.endpoint}/{BUCKET}/x", headers={"Date": "Mon, 01 Jan 2001 00:00:00 GMT",
                                                                  "Authorization": f"AWS {ACCESS_KEY}:c2lnbmF0dXJl"})
    assert stale.status_code == 403 and code(stale) == "RequestTimeTooSkewed"


def test_with_sigv2_off_the_store_says_it_takes_sigv4_only(dropgate_bin, tmp_path):
    store = Store(dropgate_bin, tmp_path / "data", extra=["--no-sigv2"])
    try:
        url = v2_client(store).generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "x"}, ExpiresIn=60)
        response = requests.get(url)
        assert response.status_code == 400 and code(response) == "InvalidRequest" and b"Signature Version 2" in response.content
    finally:
        store.stop()
