"""aws-chunked uploads, signed with an independent Python implementation of the streaming signature."""
import datetime
import hashlib
import hmac
import http.client
import zlib
import base64

import pytest

from store_fixtures import ACCESS_KEY, BUCKET, SECRET_KEY, Store


@pytest.fixture()
def store(dropgate_bin, tmp_path):
    running = Store(dropgate_bin, tmp_path / "data")
    yield running
    running.stop()


def sign(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256)


def signing_key(date):
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (date, "us-east-1", "s3", "aws4_request"):
        key = sign(key, part).digest()
    return key


def chunked_put(store, key, payload, chunk_size, mode, corrupt=None):
    """PUTs `payload` as aws-chunked; mode is 'signed', 'signed-trailer' or 'unsigned-trailer'. Returns (status, body)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    scope = f"{date}/us-east-1/s3/aws4_request"
    content_sha = {"signed": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "signed-trailer": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                   "unsigned-trailer": "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}[mode]
    chunks = [payload[i:i + chunk_size] for i in range(0, len(payload), chunk_size)] + [b""]
    crc = base64.b64encode(zlib.crc32(payload).to_bytes(4, "big")).decode()
    if corrupt == "trailer":
        crc = "AAAAAA=="
    headers = {"host": f"127.0.0.1:{store.port}", "content-encoding": "aws-chunked", "x-amz-content-sha256": content_sha,
               "x-amz-date": amz_date, "x-amz-decoded-content-length": str(len(payload))}
    if mode != "signed":
        headers["x-amz-trailer"] = "x-amz-checksum-crc32"
    signing = signing_key(date)
    body = b""
    previous = None
    # The seed signature covers the headers; Content-Length is sent but not signed.
    names = sorted(headers)
    canonical = "\n".join(["PUT", f"/{BUCKET}/{key}", "", *[f"{n}:{headers[n]}" for n in names], "", ";".join(names), content_sha])
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    seed = hmac.new(signing, string_to_sign.encode(), hashlib.sha256).hexdigest()
    previous = seed
    empty = hashlib.sha256(b"").hexdigest()
    for index, chunk in enumerate(chunks):
        if mode == "unsigned-trailer":
            body += f"{len(chunk):x}\r\n".encode()
        else:
            sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, empty, hashlib.sha256(chunk).hexdigest()])
            previous = hmac.new(signing, sts.encode(), hashlib.sha256).hexdigest()
            signature = previous if not (corrupt == "chunk" and index == 0) else "0" * 64
            body += f"{len(chunk):x};chunk-signature={signature}\r\n".encode()
        if chunk:
            body += chunk + b"\r\n"
    if mode == "signed":
        body += b"\r\n"
    else:
        trailer = f"x-amz-checksum-crc32:{crc}\n"
        body += f"x-amz-checksum-crc32:{crc}\r\n".encode()
        if mode == "signed-trailer":
            sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, previous, hashlib.sha256(trailer.encode()).hexdigest()])
            body += f"x-amz-trailer-signature:{hmac.new(signing, sts.encode(), hashlib.sha256).hexdigest()}\r\n".encode()
        body += b"\r\n"
    authorization = f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, SignedHeaders={';'.join(names)}, Signature={seed}"
    connection = http.client.HTTPConnection("127.0.0.1", store.port, timeout=10)
    connection.request("PUT", f"/{BUCKET}/{key}", body=body, headers={**headers, "Authorization": authorization, "Content-Length": str(len(body))})
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.parametrize("mode", ["signed", "signed-trailer", "unsigned-trailer"])
@pytest.mark.parametrize("size,chunk", [(0, 64 * 1024), (70_000, 64 * 1024), (1_000_000, 8192)])
def test_aws_chunked_uploads_are_decoded(store, mode, size, chunk):
    payload = bytes((i * 7) & 0xFF for i in range(size))
    status, body = chunked_put(store, f"chunked-{mode}-{size}", payload, chunk, mode)
    assert status == 200, body
    stored = store.client().get_object(Bucket=BUCKET, Key=f"chunked-{mode}-{size}", ChecksumMode="ENABLED")
    assert stored["Body"].read() == payload
    assert stored.get("ContentEncoding") is None


def test_a_bad_chunk_signature_is_refused(store):
    status, body = chunked_put(store, "bad-chunk", b"x" * 100_000, 65536, "signed", corrupt="chunk")
    assert status == 403 and b"SignatureDoesNotMatch" in body
    assert store.client().list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_a_wrong_trailing_checksum_is_refused(store):
    status, body = chunked_put(store, "bad-trailer", b"y" * 1000, 512, "unsigned-trailer", corrupt="trailer")
    assert status == 400 and b"BadDigest" in body
