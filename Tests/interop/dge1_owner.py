"""DGE1's keys wrapped to a file request's owner (docs/encryption.md, "Encrypted to a request's owner") in Python's
`cryptography`: independent of the Swift and JavaScript implementations, it makes their test vectors and plays the
sender or the owner in the page tests."""
import base64
import hashlib
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"DGE1 request key"
OWNER_KEY_AAD = b"DGE1 owner key"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate(alg="X25519"):
    return x25519.X25519PrivateKey.generate() if alg == "X25519" else ec.generate_private_key(ec.SECP256R1())


def private_from_pkcs8(der):
    return serialization.load_der_private_key(der, password=None)


def pkcs8(private):
    return private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def alg_of(key):
    return "X25519" if isinstance(key, (x25519.X25519PrivateKey, x25519.X25519PublicKey)) else "P-256"


def public_raw(private):
    public = private.public_key()
    if alg_of(private) == "X25519":
        return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def public_from_raw(alg, raw):
    if alg == "X25519":
        return x25519.X25519PublicKey.from_public_bytes(raw)
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def fragment(alg, raw):
    return f"pk={alg}.{b64url(raw)}"


def fingerprint(alg, raw):
    digest = hashlib.sha256(b"DGE1 owner key\x00" + alg.encode() + b"\x00" + raw).digest()[:16].hex()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def _shared(private, alg, public):
    return private.exchange(public) if alg == "X25519" else private.exchange(ec.ECDH(), public)


def _kek(shared, ephemeral_raw, owner_raw):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_raw + owner_raw, info=INFO).derive(shared)


def wrap_to_owner(key, alg, owner_raw, ephemeral=None, nonce=None):
    """The share key `key` wrapped to the owner's public key: {alg, ephemeral, nonce, wrapped}."""
    ephemeral = ephemeral or generate(alg)
    nonce = nonce or os.urandom(12)
    ephemeral_raw = public_raw(ephemeral)
    kek = _kek(_shared(ephemeral, alg, public_from_raw(alg, owner_raw)), ephemeral_raw, owner_raw)
    wrapped = AESGCM(kek).encrypt(nonce, key, INFO)
    return {"alg": alg, "ephemeral": b64url(ephemeral_raw), "nonce": b64url(nonce), "wrapped": b64url(wrapped)}


def unwrap(wrap, owner_private):
    """The share key, or an exception when the wrap was not made to this key."""
    alg = wrap["alg"]
    ephemeral_raw = unb64url(wrap["ephemeral"])
    kek = _kek(_shared(owner_private, alg, public_from_raw(alg, ephemeral_raw)), ephemeral_raw, public_raw(owner_private))
    return AESGCM(kek).decrypt(unb64url(wrap["nonce"]), unb64url(wrap["wrapped"]), INFO)


def seal_private_key(private, passphrase, salt, nonce, iterations=600_000):
    """The owner's private key (PKCS #8) sealed with a passphrase, as the page keeps it at the gateway."""
    wrap_key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, iterations, 32)
    sealed = AESGCM(wrap_key).encrypt(nonce, pkcs8(private), OWNER_KEY_AAD)
    return {"salt": b64url(salt), "iterations": iterations, "nonce": b64url(nonce), "wrapped": b64url(sealed)}


def open_private_key(wrap, passphrase):
    wrap_key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), unb64url(wrap["salt"]), wrap["iterations"], 32)
    return private_from_pkcs8(AESGCM(wrap_key).decrypt(unb64url(wrap["nonce"]), unb64url(wrap["wrapped"]), OWNER_KEY_AAD))
