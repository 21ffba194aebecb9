// /me's file requests encrypted to their owner: the key pair made here (its private half sealed with the owner's
// passphrase before the gateway keeps it), opened here again with the passphrase, and each submission's names and
// files decrypted here. No key, passphrase or plaintext ever leaves the page.
import * as e2e from "/static/e2e.js";
import * as owner from "/static/owner-key.js";
import { humanSize, saveBlob } from "/static/upload-kit.js";
import { t } from "/static/i18n.js";

// The most a file this page decrypts in memory; past it, `dropgate request download` streams it to disk.
const MEMORY_LIMIT = 500 * 1000 * 1000;
// Request id → the owner's key, once opened with the passphrase (this page only).
const opened = new Map();

// A new key pair for a request: what POST /api/requests takes, and the fingerprint to note.
export async function makeEncryption(passphrase) {
  const key = await owner.generateOwnerKey();
  const sealedPrivateKey = await owner.sealPrivateKey(key, passphrase);
  return {
    encryption: { publicKey: { alg: key.alg, key: e2e.b64url(key.publicRaw) }, sealedPrivateKey },
    fingerprint: await owner.fingerprint(key.alg, key.publicRaw),
  };
}

// The link senders need: the request's, with the owner's public key in its fragment.
export function senderLink(request) {
  if (!request.publicKey) return request.url;
  return `${request.url}#${owner.fragment(request.publicKey.alg, e2e.fromB64url(request.publicKey.key))}`;
}

export function fingerprintOf(request) { return owner.fingerprint(request.publicKey.alg, e2e.fromB64url(request.publicKey.key)); }

export function isOpen(request) { return opened.has(request.id); }

// Opens the request's key with the passphrase; throws in plain words when it is wrong or the key is not kept here.
export async function open(request, detail, passphrase) {
  if (!detail.sealedPrivateKey) throw new Error(t("This request's key is kept by the dropgate CLI that made it: use dropgate request download."));
  const raw = e2e.fromB64url(request.publicKey.key);
  opened.set(request.id, await owner.openPrivateKey(detail.sealedPrivateKey, passphrase, request.publicKey.alg, raw));
}

// A submission's share key and its files' names, types and sizes, checked against what the gateway lists.
export async function contents(request, submission) {
  const raw = await owner.unwrapFromOwner(submission.keyWrap || {}, opened.get(request.id));
  const key = await e2e.importKey(raw);
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await e2e.open(key, e2e.fromB64url(submission.manifest || "") || new Uint8Array())));
  } catch {
    throw new Error(t("This submission's list of files is not readable."));
  }
  const files = Array.isArray(manifest.files) ? manifest.files : [];
  if (manifest.v !== 1 || files.length !== submission.files.length || files.some((f) => typeof f.name !== "string" || typeof f.size !== "number")) {
    throw new Error(t("This submission's list of files is not readable."));
  }
  return { key, files };
}

// Fetches one sealed file straight from the store, decrypts it here, and saves it under its real name.
export async function save(call, key, routed, file) {
  if (routed.size > MEMORY_LIMIT) throw new Error(`${file.name} is ${humanSize(file.size)}; this page decrypts files up to ${humanSize(MEMORY_LIMIT)}. Use dropgate request download.`);
  const response = await fetch((await call("GET", routed.url)).url);
  if (!response.ok) throw new Error(t("The store answered {status} for {name}.", { status: response.status, name: file.name }));
  let bytes;
  try {
    bytes = await e2e.open(key, new Uint8Array(await response.arrayBuffer()));
  } catch {
    throw new Error(`${file.name} does not decrypt: it was changed after it was sent.`);
  }
  if (bytes.length !== file.size) throw new Error(`${file.name} does not decrypt to the size its sender listed.`);
  saveBlob(new Blob([bytes], { type: "application/octet-stream" }), file.name);
}
