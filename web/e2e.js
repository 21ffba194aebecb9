// The DGE1 format of end-to-end encrypted shares (docs/encryption.md), with WebCrypto only. The same module runs in
// the browser (the upload page and the share page) and in Node (the test vectors).
const subtle = globalThis.crypto.subtle;

export const RECORD_SIZE = 65536;
export const HEADER_SIZE = 16;
export const TAG_SIZE = 16;
export const WRAP_ITERATIONS = 600000;
const MAGIC = [0x44, 0x47, 0x45, 0x31]; // "DGE1"
const WRAP_AAD = new TextEncoder().encode("DGE1 key");

/** Why a sealed file did not open; `kind` is "tampered", "truncated" or "notSealed". */
export class SealedError extends Error {
  constructor(kind, message) { super(message); this.kind = kind; }
}
const tampered = () => new SealedError("tampered", "This file does not decrypt with this key: the key is wrong, or the file was changed.");
const truncated = () => new SealedError("truncated", "The encrypted file is cut short.");
const notSealed = () => new SealedError("notSealed", "This is not an end-to-end encrypted Dropgate file.");

export function recordCount(size, recordSize = RECORD_SIZE) { return Math.max(1, Math.ceil(size / recordSize)); }

/** The exact sealed size of `size` plaintext bytes. */
export function sealedSize(size, recordSize = RECORD_SIZE) { return HEADER_SIZE + size + TAG_SIZE * recordCount(size, recordSize); }

export function randomBytes(count) { return globalThis.crypto.getRandomValues(new Uint8Array(count)); }

/** The 16-byte header of a file with this record size and 7-byte nonce prefix. */
export function header(recordSize, prefix) {
  const bytes = new Uint8Array(HEADER_SIZE);
  bytes.set(MAGIC, 0);
  bytes[4] = 1;
  new DataView(bytes.buffer).setUint32(5, recordSize);
  bytes.set(prefix, 9);
  return bytes;
}

/** `{recordSize, prefix, bytes}` of a sealed file's first 16 bytes, or null. */
export function parseHeader(bytes) {
  if (bytes.length < HEADER_SIZE || MAGIC.some((byte, i) => bytes[i] !== byte) || bytes[4] !== 1) return null;
  const recordSize = new DataView(bytes.buffer, bytes.byteOffset).getUint32(5);
  if (recordSize < 1024 || recordSize > 16 * 1024 * 1024) return null;
  return { recordSize, prefix: bytes.slice(9, 16), bytes: bytes.slice(0, HEADER_SIZE) };
}

function nonce(prefix, index, last) {
  const bytes = new Uint8Array(12);
  bytes.set(prefix, 0);
  new DataView(bytes.buffer).setUint32(7, index);
  bytes[11] = last ? 1 : 0;
  return bytes;
}

/** A share key (32 raw bytes) as a WebCrypto AES-GCM key. */
export function importKey(raw) { return subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]); }

/** Record `index` of a file, sealed: the ciphertext of the piece, then the tag. */
export async function sealRecord(key, head, index, last, piece) {
  return new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce(head.subarray(9, 16), index, last), additionalData: head }, key, piece));
}

export async function openRecord(key, head, index, last, record) {
  try {
    return new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: nonce(head.subarray(9, 16), index, last), additionalData: head }, key, record));
  } catch { throw tampered(); }
}

/** A whole plaintext held in memory, sealed. */
export async function seal(key, head, plaintext) {
  const recordSize = new DataView(head.buffer, head.byteOffset).getUint32(5);
  const count = recordCount(plaintext.length, recordSize);
  const out = new Uint8Array(sealedSize(plaintext.length, recordSize));
  out.set(head, 0);
  let offset = HEADER_SIZE;
  for (let index = 0; index < count; index++) {
    const record = await sealRecord(key, head, index, index === count - 1, plaintext.subarray(index * recordSize, (index + 1) * recordSize));
    out.set(record, offset);
    offset += record.length;
  }
  return out;
}

/**
 * Bytes `start` to `end` of the sealed form of `file` (a Blob), reading only the records they cover (File.slice per
 * record): how a part of a multipart upload is made. Records are sealed the same each time (the nonce is fixed by
 * the index), so a record cut by a part boundary is the same on both sides of it.
 */
export async function sealedSlice(key, head, file, start, end) {
  const recordSize = new DataView(head.buffer, head.byteOffset).getUint32(5);
  const count = recordCount(file.size, recordSize);
  const stride = recordSize + TAG_SIZE;
  const pieces = [];
  let base = 0;
  if (start < HEADER_SIZE) pieces.push(head); else base = HEADER_SIZE;
  const first = Math.max(0, Math.floor((start - HEADER_SIZE) / stride));
  const last = Math.min(count - 1, Math.floor((end - 1 - HEADER_SIZE) / stride));
  if (start >= HEADER_SIZE) base = HEADER_SIZE + first * stride;
  for (let index = first; index <= last && end > HEADER_SIZE; index++) {
    const piece = new Uint8Array(await file.slice(index * recordSize, Math.min(file.size, (index + 1) * recordSize)).arrayBuffer());
    pieces.push(await sealRecord(key, head, index, index === count - 1, piece));
  }
  return new Blob(pieces).slice(start - base, end - base);
}

/** Opens a whole sealed file held in memory; throws a SealedError on any tampering. */
export async function open(key, sealed) {
  const head = parseHeader(sealed);
  if (!head) throw notSealed();
  const stride = head.recordSize + TAG_SIZE;
  const body = sealed.length - HEADER_SIZE;
  if (body < TAG_SIZE) throw truncated();
  const count = Math.ceil(body / stride);
  const out = new Uint8Array(body - count * TAG_SIZE);
  let written = 0;
  for (let index = 0; index < count; index++) {
    const record = sealed.subarray(HEADER_SIZE + index * stride, Math.min(sealed.length, HEADER_SIZE + (index + 1) * stride));
    const last = index === count - 1;
    if (record.length < TAG_SIZE) throw truncated();
    let plain;
    try {
      plain = await openRecord(key, head.bytes, index, last, record);
    } catch (error) {
      // A full record that opens as not-last: the file was cut at a record boundary.
      if (last && record.length === stride && await openRecord(key, head.bytes, index, false, record).then(() => true, () => false)) throw truncated();
      throw error;
    }
    out.set(plain, written);
    written += plain.length;
  }
  return out;
}

/**
 * Opens a sealed file as its bytes arrive (`chunks`, an async iterable), record by record, yielding each record's
 * plaintext: at most one record and one chunk are held. A record is opened as the last only once the stream has ended,
 * so a file cut at a record boundary is caught. Throws a SealedError on any tampering.
 */
export async function* openChunks(key, chunks) {
  let head = null;
  let stride = 0;
  let index = 0;
  let buffer = new Uint8Array(0);
  for await (const chunk of chunks) {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
    if (!head) {
      if (buffer.length < HEADER_SIZE) continue;
      head = parseHeader(buffer);
      if (!head) throw notSealed();
      stride = head.recordSize + TAG_SIZE;
      buffer = buffer.slice(HEADER_SIZE);
    }
    let at = 0;
    // A full record with more bytes after it is not the last.
    for (; buffer.length - at > stride; at += stride, index++) yield await openRecord(key, head.bytes, index, false, buffer.subarray(at, at + stride));
    buffer = buffer.slice(at);
  }
  if (!head) throw buffer.length === 0 ? truncated() : notSealed();
  if (buffer.length < TAG_SIZE) throw truncated();
  try {
    yield await openRecord(key, head.bytes, index, true, buffer);
  } catch (error) {
    if (buffer.length === stride && await openRecord(key, head.bytes, index, false, buffer).then(() => true, () => false)) throw truncated();
    throw error;
  }
}

export function b64url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromB64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const standard = text.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((text.length + 3) % 4);
  try { return Uint8Array.from(atob(standard), (c) => c.charCodeAt(0)); } catch { return null; }
}

/** The share key in a location hash (`#k=…`), or null. */
export function keyFromFragment(hash) {
  const match = /^#?k=([A-Za-z0-9_-]{43})$/.exec(hash || "");
  const bytes = match && fromB64url(match[1]);
  return bytes && bytes.length === 32 ? bytes : null;
}

/** PBKDF2-HMAC-SHA256 of the password: the wrapping key (a CryptoKey) and the access secret (32 bytes). */
export async function derive(password, salt, iterations) {
  if (iterations < 100000 || iterations > 10000000) throw new SealedError("notSealed", "The share's key wrap is not one this page reads.");
  const material = await subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = new Uint8Array(await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, 512));
  return { wrapKey: await subtle.importKey("raw", bits.slice(0, 32), "AES-GCM", false, ["encrypt", "decrypt"]), access: bits.slice(32) };
}

/** Wraps a raw share key with a password: `{wrap, access}` for POST /api/shares (all base64url). */
export async function wrapKey(raw, password, { salt = randomBytes(16), nonce: iv = randomBytes(12), iterations = WRAP_ITERATIONS } = {}) {
  const { wrapKey: key, access } = await derive(password, salt, iterations);
  const wrapped = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv, additionalData: WRAP_AAD }, key, raw));
  return { wrap: { salt: b64url(salt), iterations, nonce: b64url(iv), wrapped: b64url(wrapped) }, access: b64url(access) };
}

/** The access secret for a password and a wrap's public salt and count. */
export async function accessSecret(password, salt, iterations) {
  return b64url((await derive(password, fromB64url(salt), iterations)).access);
}

/** The raw share key from a wrap and its password; throws when the password is wrong. */
export async function unwrapKey(wrap, password) {
  const { wrapKey: key } = await derive(password, fromB64url(wrap.salt), wrap.iterations);
  try {
    return new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: fromB64url(wrap.nonce), additionalData: WRAP_AAD }, key, fromB64url(wrap.wrapped)));
  } catch { throw new SealedError("tampered", "That password does not open this share."); }
}
