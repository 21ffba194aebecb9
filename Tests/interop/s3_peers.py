"""An S3 peer (the embedded store or Ceph RGW) and requests signed here, byte by byte, where boto3 cannot say what a
test needs: raw header bytes, a chosen request time, a chosen X-Amz-Expires, Signature Version 2 forms and headers."""
import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse

import boto3
from botocore.config import Config


class Peer:
    """One S3 endpoint with its credentials and a bucket the tests may write to."""

    def __init__(self, name, endpoint, access, secret, bucket):
        self.name, self.endpoint, self.access, self.secret, self.bucket = name, endpoint, access, secret, bucket
        self.host = urllib.parse.urlsplit(endpoint).netloc

    def client(self, signature_version="s3v4"):
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access, aws_secret_access_key=self.secret,
                            region_name="us-east-1", config=Config(signature_version=signature_version, s3={"addressing_style": "path"},
                                                                   retries={"max_attempts": 1}))

    def url(self, path, query=""):
        return f"{self.endpoint}{path}" + (f"?{query}" if query else "")


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _signing_key(secret, day):
    key = ("AWS4" + secret).encode()
    for part in (day, "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _query(items):
    return "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}" for k, v in sorted(items.items()))


def presigned_v4(peer, method, path, expires="60", when=None, headers=None, query=None):
    """A SigV4 query-signed URL; `headers` (name -> raw bytes) are signed as sent, `expires` is put in as given."""
    when = when or utc_now()
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    signed = {"host": peer.host.encode(), **(headers or {})}
    names = sorted(signed)
    items = dict(query or {}, **{"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{peer.access}/{scope}", "X-Amz-Date": stamp,
                                 "X-Amz-Expires": str(expires), "X-Amz-SignedHeaders": ";".join(names)})
    encoded = _query(items)
    canonical = b"\n".join([method.encode(), urllib.parse.quote(path).encode(), encoded.encode(),
                            *[n.encode() + b":" + signed[n] for n in names], b"", ";".join(names).encode(), b"UNSIGNED-PAYLOAD"])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical).hexdigest()])
    signature = hmac.new(_signing_key(peer.secret, stamp[:8]), to_sign.encode(), hashlib.sha256).hexdigest()
    return peer.url(urllib.parse.quote(path), f"{encoded}&X-Amz-Signature={signature}")


def header_signed_v4(peer, method, path, amz_date, extra=None, query=None):
    """SigV4 header auth at `amz_date`; `extra` headers (such as a `Date`) are sent but not signed."""
    stamp = amz_date.strftime("%Y%m%dT%H%M%SZ")
    payload = hashlib.sha256(b"").hexdigest()
    signed = {"host": peer.host, "x-amz-content-sha256": payload, "x-amz-date": stamp}
    names = sorted(signed)
    encoded = _query(query or {})
    canonical = "\n".join([method, urllib.parse.quote(path), encoded, *[f"{n}:{signed[n]}" for n in names], "", ";".join(names), payload])
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(_signing_key(peer.secret, stamp[:8]), to_sign.encode(), hashlib.sha256).hexdigest()
    headers = dict(signed, **(extra or {}))
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={peer.access}/{scope}, SignedHeaders={';'.join(names)}, "
                                f"Signature={signature}")
    return peer.url(urllib.parse.quote(path), encoded), headers


def header_signed_v2(peer, method, path, date=None, amz_date=None):
    """SigV2 header auth: the string to sign carries `Date`, or an empty line and `x-amz-date` when that is sent."""
    headers = {}
    if date is not None:
        headers["Date"] = date
    lines = [method, "", "", "" if amz_date is not None else (date or "")]
    if amz_date is not None:
        headers["x-amz-date"] = amz_date
        lines.append(f"x-amz-date:{amz_date}")
    to_sign = "\n".join(lines + [urllib.parse.quote(path)])
    signature = base64.b64encode(hmac.new(peer.secret.encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    headers["Authorization"] = f"AWS {peer.access}:{signature}"
    return peer.url(urllib.parse.quote(path)), headers


def v2_post_form(peer, conditions, expiration=None, secret=None, access=None):
    """The fields of a browser POST form whose policy is signed with Signature Version 2 (base64 HMAC-SHA1)."""
    expiration = expiration or utc_now() + datetime.timedelta(minutes=5)
    policy = base64.b64encode(json.dumps({"expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"), "conditions": conditions}).encode())
    signature = base64.b64encode(hmac.new((secret or peer.secret).encode(), policy, hashlib.sha1).digest()).decode()
    return {"AWSAccessKeyId": access or peer.access, "policy": policy.decode(), "signature": signature}
