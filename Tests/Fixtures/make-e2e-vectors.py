"""Writes e2e-vectors.json: DGE1 test vectors (docs/encryption.md) made with Python's `cryptography` (OpenSSL), an
implementation independent of the Swift and JavaScript ones that must match them (Tests/interop/dge1.py).
Run: python3 Tests/Fixtures/make-e2e-vectors.py"""
import hashlib
import json
import pathlib
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "interop"))
from dge1 import b64url, seal  # noqa: E402  (the Python DGE1, beside the interop tests)
import dge1_owner  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, x25519  # noqa: E402


key = bytes(range(32))
prefix = bytes.fromhex("a1b2c3d4e5f607")
vectors = []
for name, size, record_size in [("empty", 0, 1024), ("short", 5, 1024), ("one full record", 1024, 1024),
                                ("two full records", 2048, 1024), ("three records", 2500, 1024), ("default record size", 70000, 65536)]:
    plaintext = bytes((i * 7 + 3) % 256 for i in range(size))  # every vector's plaintext: byte i is (7i + 3) mod 256
    sealed = seal(key, prefix, record_size, plaintext)
    assert len(sealed) == 16 + size + 16 * max(1, -(-size // record_size))
    vector = {"name": name, "key": key.hex(), "prefix": prefix.hex(), "recordSize": record_size, "size": size,
              "sealedSHA256": hashlib.sha256(sealed).hexdigest()}
    if size <= 4096:
        vector["sealed"] = sealed.hex()
    vectors.append(vector)

three = seal(key, prefix, 1024, bytes((i * 7 + 3) % 256 for i in range(2500)))
record = 1024 + 16
tamperings = [
    {"name": "a flipped byte in record 2", "sealed": (three[:16 + record + 5] + bytes([three[16 + record + 5] ^ 1]) + three[16 + record + 6:]).hex(), "error": "tampered"},
    {"name": "records 0 and 1 swapped", "sealed": (three[:16] + three[16 + record:16 + 2 * record] + three[16:16 + record] + three[16 + 2 * record:]).hex(), "error": "tampered"},
    {"name": "the last record dropped", "sealed": three[:16 + 2 * record].hex(), "error": "truncated"},
    {"name": "cut inside the last record", "sealed": three[:-10].hex(), "error": "tampered"},
    {"name": "a byte appended", "sealed": (three + b"\x00").hex(), "error": "tampered"},
    {"name": "the header's prefix changed", "sealed": (three[:9] + bytes([three[9] ^ 1]) + three[10:]).hex(), "error": "tampered"},
    {"name": "the header's record size changed", "sealed": (three[:5] + struct.pack(">I", 2048) + three[9:]).hex(), "error": "tampered"},
    {"name": "not DGE1", "sealed": (b"DGE2" + three[4:]).hex(), "error": "notSealed"},
    {"name": "a record size out of range", "sealed": (three[:5] + struct.pack(">I", 512) + three[9:]).hex(), "error": "notSealed"},
]
wrong_key = {"name": "another key", "key": bytes(range(1, 33)).hex(), "sealed": three.hex(), "error": "tampered"}

password, salt, nonce, iterations = "correct horse battery staple", bytes(range(100, 116)), bytes(range(200, 212)), 600_000
derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, 64)
wrapped = AESGCM(derived[:32]).encrypt(nonce, key, b"DGE1 key")
wrap = {"password": password, "salt": b64url(salt), "iterations": iterations, "nonce": b64url(nonce), "wrapped": b64url(wrapped),
        "access": b64url(derived[32:]), "key": key.hex()}

manifest = json.dumps({"v": 1, "files": [{"name": "holiday.png", "type": "image/png", "size": 12345}]}, separators=(",", ":")).encode()
document = {"format": "DGE1 version 1, docs/encryption.md", "vectors": vectors, "tamperings": tamperings + [wrong_key], "keyWrap": wrap,
            "manifest": {"plaintext": manifest.decode(), "sealed": seal(key, bytes(7), 65536, manifest).hex()},
            "fragment": {"key": key.hex(), "fragment": "k=" + b64url(key)}, "ownerWraps": [], "ownerKeyWrap": None}

# Wrapped to a request's owner: fixed owner and ephemeral keys, each curve.
fixed = {"X25519": (x25519.X25519PrivateKey.from_private_bytes(bytes(range(32, 64))), x25519.X25519PrivateKey.from_private_bytes(bytes(range(64, 96)))),
         "P-256": (ec.derive_private_key(int.from_bytes(bytes(range(32, 64)), "big"), ec.SECP256R1()),
                   ec.derive_private_key(int.from_bytes(bytes(range(64, 96)), "big"), ec.SECP256R1()))}
for alg, (owner, ephemeral) in fixed.items():
    owner_raw = dge1_owner.public_raw(owner)
    owner_wrap = dge1_owner.wrap_to_owner(key, alg, owner_raw, ephemeral=ephemeral, nonce=bytes(range(12)))
    assert dge1_owner.unwrap(owner_wrap, owner) == key
    document["ownerWraps"].append({
        "alg": alg, "ownerPrivate": dge1_owner.pkcs8(owner).hex(), "ownerPublic": owner_raw.hex(), "ephemeralPrivate": dge1_owner.pkcs8(ephemeral).hex(),
        "key": key.hex(), "wrap": owner_wrap, "fragment": dge1_owner.fragment(alg, owner_raw), "fingerprint": dge1_owner.fingerprint(alg, owner_raw)})
owner_key_wrap = dge1_owner.seal_private_key(fixed["X25519"][0], "owner passphrase", bytes(range(16)), bytes(range(12)), 100_000)
document["ownerKeyWrap"] = {"passphrase": "owner passphrase", "wrap": owner_key_wrap, "ownerPrivate": dge1_owner.pkcs8(fixed["X25519"][0]).hex()}
pathlib.Path(__file__).with_name("e2e-vectors.json").write_text(json.dumps(document, indent=1) + "\n")
