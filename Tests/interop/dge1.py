"""DGE1 (docs/encryption.md) in Python's `cryptography`, an implementation independent of the Swift and JavaScript
ones: it makes the test vectors (Tests/Fixtures/make-e2e-vectors.py) and encrypted shares for page tests."""
import base64
import hashlib
import json
import os
import struct

import requests
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seal(key, prefix, record_size, plaintext):
    header = b"DGE1" + bytes([1]) + struct.pack(">I", record_size) + prefix
    count = max(1, -(-len(plaintext) // record_size))
    out = header
    for index in range(count):
        piece = plaintext[index * record_size:(index + 1) * record_size]
        nonce = prefix + struct.pack(">I", index) + bytes([1 if index == count - 1 else 0])
        out += AESGCM(key).encrypt(nonce, piece, header)
    return out


def wrap(key, password, salt, nonce, iterations=600_000):
    """The key wrap and the access secret of a password."""
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, 64)
    wrapped = AESGCM(derived[:32]).encrypt(nonce, key, b"DGE1 key")
    return {"salt": b64url(salt), "iterations": iterations, "nonce": b64url(nonce), "wrapped": b64url(wrapped)}, b64url(derived[32:])


def encrypted_share(gateway, files, password=None):
    """An end-to-end encrypted share of (name, bytes, type) files, or (name, bytes, type, folder) for a file in a folder
    (kept in the sealed manifest, as the page keeps it), through the API as the page makes one: its link (with #k=
    when there is no password)."""
    key = os.urandom(32)
    listed = [{"name": f[0], "type": f[2], "size": len(f[1]), **({"folder": f[3]} if len(f) > 3 else {})} for f in files]
    manifest = json.dumps({"v": 1, "files": listed}).encode()
    receipts = []
    for number, (plaintext) in enumerate([manifest] + [f[1] for f in files], start=1):
        sealed = seal(key, os.urandom(7), 65536, plaintext)
        plan = gateway.create(filename=f"encrypted-{number}", size=len(sealed), contentType="application/octet-stream",
                              encryption={"plaintextSize": len(plaintext), "recordSize": 65536}).json()
        headers = {k: v for k, v in plan["headers"].items() if k != "Content-Length"}
        assert requests.put(plan["url"], data=sealed, headers=headers).status_code == 200
        receipts.append(gateway.complete(plan["id"], {"collection": True}).json()["receipt"])
    body = {"files": receipts, "encrypted": True}
    if password:
        body["keyWrap"], body["password"] = wrap(key, password, os.urandom(16), os.urandom(12))
    answer = requests.post(f"{gateway.url}/api/shares", json=body)
    assert answer.status_code == 201, answer.text
    link = answer.json()["share"]["url"]
    return link if password else f"{link}#k={b64url(key)}"


def open_sealed(key, sealed):
    """The plaintext of a whole sealed file; raises on any tampering."""
    header = sealed[:16]
    assert header[:5] == b"DGE1\x01"
    record_size = struct.unpack(">I", header[5:9])[0]
    stride = record_size + 16
    body = sealed[16:]
    count = max(1, -(-len(body) // stride))
    out = b""
    for index in range(count):
        nonce = header[9:16] + struct.pack(">I", index) + bytes([1 if index == count - 1 else 0])
        out += AESGCM(key).decrypt(nonce, body[index * stride:(index + 1) * stride], header)
    return out


def key_of(link):
    """The share key in a link's #k=."""
    text = link.split("#k=")[1]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
