"""`dropgate doctor` against the embedded store and a real Ceph RGW."""
import json
import os
import subprocess
import uuid

import requests

import boto3
from botocore.config import Config

from conftest import free_port


def doctor(dropgate_bin, settings, tmp_path, *extra):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(settings))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    return subprocess.run([dropgate_bin, "doctor", "--settings", str(path), *extra], env=clean, capture_output=True, text=True, timeout=60)


def test_the_embedded_store_passes_every_check(dropgate_bin, tmp_path):
    settings = {"gateway": {"publicURL": f"http://localhost:{free_port()}"},
                "storage": {"accessKeyId": "doctor-key", "secretAccessKey": "doctor-secret", "dataDirectory": str(tmp_path / "data")}}
    result = doctor(dropgate_bin, settings, tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("✓") == 9 and "all 9 checks passed" in result.stdout
    assert "✓ public access blocked: public ACLs are ignored and public policies refused" in result.stdout
    assert "✓ uploads with a signed ACL accepted: a PUT signing x-amz-acl: bucket-owner-full-control was answered 200" in result.stdout
    assert "✓ lifecycle rule aborting incomplete multipart uploads: rule dropgate-abort-incomplete-multipart aborts them after 1 days" in result.stdout


def test_rgw_cors_is_diagnosed_and_fixed(dropgate_bin, rgw, tmp_path):
    origin = f"http://localhost:{free_port()}"
    s3 = boto3.client("s3", endpoint_url=rgw["endpoint"], aws_access_key_id=rgw["access_key"], aws_secret_access_key=rgw["secret_key"],
                      region_name=rgw["region"], config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    s3.put_bucket_cors(Bucket=rgw["bucket"], CORSConfiguration={"CORSRules": [{"AllowedOrigins": ["http://elsewhere.example"], "AllowedMethods": ["GET"]}]})
    s3.delete_bucket_lifecycle(Bucket=rgw["bucket"])
    settings = {"gateway": {"publicURL": origin},
                "storage": {"mode": "external", "endpoint": rgw["endpoint"], "publicEndpoint": rgw["endpoint"], "bucket": rgw["bucket"],
                            "accessKeyId": rgw["access_key"], "secretAccessKey": rgw["secret_key"]}}
    before = doctor(dropgate_bin, settings, tmp_path)
    assert before.returncode == 1
    assert f"✗ CORS for {origin}" in before.stdout and "fix: Run `dropgate doctor --fix`" in before.stdout
    assert "✓ credentials accepted" in before.stdout and "✓ POST-policy uploads" in before.stdout
    assert "✗ lifecycle rule aborting incomplete multipart uploads: the bucket has no lifecycle rules" in before.stdout
    fixed = doctor(dropgate_bin, settings, tmp_path, "--fix")
    assert fixed.returncode == 0, fixed.stdout
    origins = [o for rule in s3.get_bucket_cors(Bucket=rgw["bucket"])["CORSRules"] for o in rule["AllowedOrigins"]]
    assert origin in origins and "http://elsewhere.example" in origins
    rules = s3.get_bucket_lifecycle_configuration(Bucket=rgw["bucket"])["Rules"]
    assert {"ID": "dropgate-abort-incomplete-multipart", "Filter": {"Prefix": "uploads/"}, "Status": "Enabled",
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}} in rules
    assert "✓ lifecycle rule aborting incomplete multipart uploads" in fixed.stdout


def test_wrong_credentials_are_the_first_finding(dropgate_bin, rgw, tmp_path):
    settings = {"storage": {"mode": "external", "endpoint": rgw["endpoint"], "bucket": rgw["bucket"],
                            "accessKeyId": rgw["access_key"], "secretAccessKey": "wrong-secret"}}
    result = doctor(dropgate_bin, settings, tmp_path)
    assert result.returncode == 1
    assert "✗ credentials accepted: 403 SignatureDoesNotMatch" in result.stdout and "fix:" in result.stdout
    assert "wrong-secret" not in result.stdout + result.stderr


def test_rgw_public_access_is_diagnosed_and_fixed(dropgate_bin, rgw, tmp_path):
    """A fresh bucket lets public ACLs through: doctor says so, --fix turns the block on, and an upload sent with an
    unsigned public-read can then not be read anonymously. With BlockPublicAcls on, RGW 16 refuses every ACL header,
    which doctor names as its own failure."""
    s3 = boto3.client("s3", endpoint_url=rgw["endpoint"], aws_access_key_id=rgw["access_key"], aws_secret_access_key=rgw["secret_key"],
                      region_name=rgw["region"], config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    bucket = f"doctor-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    settings = {"gateway": {"publicURL": f"http://localhost:{free_port()}"},
                "storage": {"mode": "external", "endpoint": rgw["endpoint"], "publicEndpoint": rgw["endpoint"], "bucket": bucket,
                            "accessKeyId": rgw["access_key"], "secretAccessKey": rgw["secret_key"]}}
    before = doctor(dropgate_bin, settings, tmp_path)
    assert "✗ public access blocked: IgnorePublicAcls, BlockPublicPolicy or RestrictPublicBuckets is off" in before.stdout, before.stdout
    assert "✓ uploads with a signed ACL accepted" in before.stdout
    fixed = doctor(dropgate_bin, settings, tmp_path, "--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert "✓ public access blocked" in fixed.stdout
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "open.svg"}, ExpiresIn=300)
    assert requests.put(url, data=b"<svg/>", headers={"x-amz-acl": "public-read"}).status_code == 200
    assert requests.get(f"{rgw['endpoint']}/{bucket}/open.svg").status_code == 403
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    strict = doctor(dropgate_bin, settings, tmp_path)
    assert strict.returncode == 1
    assert "✗ uploads with a signed ACL accepted: a PUT signing x-amz-acl: bucket-owner-full-control was answered 403" in strict.stdout
    assert "Turn the bucket's BlockPublicAcls off" in strict.stdout
