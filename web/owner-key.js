// A file request encrypted to its owner (docs/encryption.md, "Encrypted to a request's owner"): the owner's key pair
// (X25519, or P-256 ECDH where WebCrypto lacks X25519), the share key of each submission wrapped to it, and the
// owner's private key sealed with a passphrase. Only WebCrypto; the private key never leaves the page unsealed.
import { b64url, fromB64url, randomBytes, WRAP_ITERATIONS } from "./e2e.js";

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();
const INFO = encoder.encode("DGE1 request key");
const OWNER_KEY_AAD = encoder.encode("DGE1 owner key");
const PUBLIC_SIZES = { X25519: 32, "P-256": 65 };

export class OwnerKeyError extends Error {}

function algorithm(alg) {
  if (alg === "X25519") return { name: "X25519" };
  if (alg === "P-256") return { name: "ECDH", namedCurve: "P-256" };
  throw new OwnerKeyError(`${alg} is not a key this page reads.`);
}

// A new key pair: X25519 where this browser has it, else P-256. { alg, privateKey, publicRaw }.
export async function generateOwnerKey(preferred = "X25519") {
  for (const alg of preferred === "P-256" ? ["P-256"] : ["X25519", "P-256"]) {
    try {
      const pair = await subtle.generateKey(algorithm(alg), true, ["deriveBits"]);
      return { alg, privateKey: pair.privateKey, publicRaw: new Uint8Array(await subtle.exportKey("raw", pair.publicKey)) };
    } catch (error) {
      if (alg === "P-256") throw error;
    }
  }
}

export function importPublic(alg, raw) {
  if (PUBLIC_SIZES[alg] !== raw.length) throw new OwnerKeyError("The request's public key is not a key this page reads.");
  return subtle.importKey("raw", raw, algorithm(alg), false, []);
}

export function importPrivate(alg, pkcs8) { return subtle.importKey("pkcs8", pkcs8, algorithm(alg), true, ["deriveBits"]); }

// `pk=<alg>.<base64url public key>`, the request link's fragment.
export function fragment(alg, raw) { return `pk=${alg}.${b64url(raw)}`; }

// The owner's public key in a request link's fragment, or null when it carries none (or a malformed one).
export function publicFromFragment(hash) {
  const match = /^#?pk=(X25519|P-256)\.([A-Za-z0-9_-]{43,88})$/.exec(hash || "");
  if (!match) return null;
  const raw = fromB64url(match[2]);
  return raw && PUBLIC_SIZES[match[1]] === raw.length ? { alg: match[1], raw } : null;
}

// What the sender and the owner compare: 16 bytes of SHA-256 over the key, in hex groups of four.
export async function fingerprint(alg, raw) {
  const text = encoder.encode(`DGE1 owner key\u0000${alg}\u0000`);
  const digest = new Uint8Array(await subtle.digest("SHA-256", new Uint8Array([...text, ...raw])));
  const hex = [...digest.subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex.match(/..../g).join(" ");
}

async function kek(alg, privateKey, publicKey, ephemeralRaw, ownerRaw) {
  const shared = await subtle.deriveBits({ name: algorithm(alg).name, public: publicKey }, privateKey, 256);
  const material = await subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  return subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array([...ephemeralRaw, ...ownerRaw]), info: INFO },
    material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

// The share key `raw` wrapped to the owner's public key; `ephemeral` and `nonce` only for the test vectors.
export async function wrapToOwner(raw, alg, ownerRaw, { ephemeral, nonce = randomBytes(12) } = {}) {
  const eph = ephemeral || await generateOwnerKey(alg);
  if (eph.alg !== alg) throw new OwnerKeyError("This browser cannot make a key of the request's kind.");
  const key = await kek(alg, eph.privateKey, await importPublic(alg, ownerRaw), eph.publicRaw, ownerRaw);
  const wrapped = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: INFO }, key, raw));
  return { alg, ephemeral: b64url(eph.publicRaw), nonce: b64url(nonce), wrapped: b64url(wrapped) };
}

// The share key of a submission, opened with the owner's private key; throws OwnerKeyError in plain words.
export async function unwrapFromOwner(wrap, owner) {
  const ephemeralRaw = fromB64url(wrap.ephemeral || "");
  if (wrap.alg !== owner.alg || !ephemeralRaw) throw new OwnerKeyError("This submission was not encrypted to this key.");
  try {
    const key = await kek(owner.alg, owner.privateKey, await importPublic(owner.alg, ephemeralRaw), ephemeralRaw, owner.publicRaw);
    return new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: fromB64url(wrap.nonce), additionalData: INFO }, key, fromB64url(wrap.wrapped)));
  } catch {
    throw new OwnerKeyError("This key does not open this submission: it was encrypted to another key.");
  }
}

async function passphraseKey(passphrase, salt, iterations) {
  const material = await subtle.importKey("raw", encoder.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

// The owner's private key (PKCS #8) sealed with a passphrase, for the gateway to keep without being able to open it.
export async function sealPrivateKey(owner, passphrase, { salt = randomBytes(16), nonce = randomBytes(12), iterations = WRAP_ITERATIONS } = {}) {
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", owner.privateKey));
  const key = await passphraseKey(passphrase, salt, iterations);
  const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: OWNER_KEY_AAD }, key, pkcs8));
  return { salt: b64url(salt), iterations, nonce: b64url(nonce), wrapped: b64url(sealed) };
}

// The owner's key, from its sealed private key and the passphrase; OwnerKeyError when the passphrase is wrong.
export async function openPrivateKey(wrap, passphrase, alg, publicRaw) {
  if (!(wrap.iterations >= 100000 && wrap.iterations <= 10000000)) throw new OwnerKeyError("The sealed key is not one this page reads.");
  let pkcs8;
  try {
    const key = await passphraseKey(passphrase, fromB64url(wrap.salt), wrap.iterations);
    pkcs8 = new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: fromB64url(wrap.nonce), additionalData: OWNER_KEY_AAD }, key, fromB64url(wrap.wrapped)));
  } catch {
    throw new OwnerKeyError("That passphrase does not open this request's key.");
  }
  return { alg, privateKey: await importPrivate(alg, pkcs8), publicRaw, pkcs8 };
}
