// The DGE1 test vectors (Tests/Fixtures/e2e-vectors.json, made with Python's cryptography) through web/e2e.js in
// Node's WebCrypto: the page's own code must seal the same bytes, open them, and refuse every tampering.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import * as e2e from "../../web/e2e.js";
import * as owner from "../../web/owner-key.js";

const vectors = JSON.parse(readFileSync(new URL("../Fixtures/e2e-vectors.json", import.meta.url)));
const hex = (text) => Uint8Array.from(text.match(/../g) || [], (pair) => parseInt(pair, 16));
const toHex = (bytes) => Buffer.from(bytes).toString("hex");
const plaintext = (size) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) % 256);
let failures = 0;
const check = (ok, what) => { if (!ok) { failures++; console.error(`FAIL ${what}`); } else console.log(`ok ${what}`); };

for (const vector of vectors.vectors) {
  const key = await e2e.importKey(hex(vector.key));
  const head = e2e.header(vector.recordSize, hex(vector.prefix));
  const sealed = await e2e.seal(key, head, plaintext(vector.size));
  check(createHash("sha256").update(sealed).digest("hex") === vector.sealedSHA256, `${vector.name}: sealed bytes`);
  if (vector.sealed) check(toHex(sealed) === vector.sealed, `${vector.name}: sealed hex`);
  check(sealed.length === e2e.sealedSize(vector.size, vector.recordSize), `${vector.name}: sealed size`);
  check(toHex(await e2e.open(key, sealed)) === toHex(plaintext(vector.size)), `${vector.name}: opens`);
  // Any slice of the sealed file, made from the plaintext a record at a time, is that slice of the whole.
  const file = new Blob([plaintext(vector.size)]);
  for (const [start, end] of [[0, sealed.length], [0, 10], [5, 30], [16, sealed.length], [17, sealed.length - 3], [1000, 3000]]) {
    if (start >= sealed.length) continue;
    const stop = Math.min(end, sealed.length);
    const part = new Uint8Array(await (await e2e.sealedSlice(key, head, file, start, stop)).arrayBuffer());
    check(toHex(part) === toHex(sealed.subarray(start, stop)), `${vector.name}: slice ${start}-${stop}`);
  }
}

const defaultKey = await e2e.importKey(hex(vectors.vectors[0].key));
for (const tampering of vectors.tamperings) {
  const key = tampering.key ? await e2e.importKey(hex(tampering.key)) : defaultKey;
  const kind = await e2e.open(key, hex(tampering.sealed)).then(() => "opened", (error) => error.kind || String(error));
  check(kind === tampering.error, `refuses ${tampering.name} (${kind})`);
}

const wrap = vectors.keyWrap;
const raw = await e2e.unwrapKey(wrap, wrap.password);
check(toHex(raw) === wrap.key, "unwraps the key wrap vector");
check(await e2e.accessSecret(wrap.password, wrap.salt, wrap.iterations) === wrap.access, "derives the access secret");
const made = await e2e.wrapKey(raw, wrap.password, { salt: e2e.fromB64url(wrap.salt), nonce: e2e.fromB64url(wrap.nonce), iterations: wrap.iterations });
check(made.wrap.wrapped === wrap.wrapped && made.access === wrap.access, "wraps to the vector");
check(await e2e.unwrapKey(wrap, "not it").then(() => false, () => true), "refuses a wrong password");
check("k=" + e2e.b64url(hex(vectors.fragment.key)) === vectors.fragment.fragment, "the fragment");
check(toHex(e2e.keyFromFragment("#" + vectors.fragment.fragment)) === vectors.fragment.key, "reads the fragment");
check(e2e.keyFromFragment("#k=short") === null && e2e.keyFromFragment("") === null, "refuses a malformed fragment");
const manifest = await e2e.open(defaultKey, hex(vectors.manifest.sealed));
check(new TextDecoder().decode(manifest) === vectors.manifest.plaintext, "opens the manifest vector");

// Wrapped to a request's owner, on each curve: the page wraps to the same bytes, opens them, refuses another key.
for (const vector of vectors.ownerWraps) {
  const ownerKey = { alg: vector.alg, privateKey: await owner.importPrivate(vector.alg, hex(vector.ownerPrivate)), publicRaw: hex(vector.ownerPublic) };
  const ephemeral = { alg: vector.alg, privateKey: await owner.importPrivate(vector.alg, hex(vector.ephemeralPrivate)), publicRaw: e2e.fromB64url(vector.wrap.ephemeral) };
  const madeWrap = await owner.wrapToOwner(hex(vector.key), vector.alg, hex(vector.ownerPublic), { ephemeral, nonce: e2e.fromB64url(vector.wrap.nonce) });
  check(JSON.stringify(madeWrap) === JSON.stringify(vector.wrap), `${vector.alg}: wraps to the vector`);
  check(toHex(await owner.unwrapFromOwner(vector.wrap, ownerKey)) === vector.key, `${vector.alg}: unwraps the vector`);
  const fresh = await owner.wrapToOwner(hex(vector.key), vector.alg, hex(vector.ownerPublic));
  check(toHex(await owner.unwrapFromOwner(fresh, ownerKey)) === vector.key, `${vector.alg}: a fresh wrap opens`);
  const other = await owner.generateOwnerKey(vector.alg);
  const refused = await owner.unwrapFromOwner(vector.wrap, other).then(() => "opened", (error) => error.message);
  check(/encrypted to another key/.test(refused), `${vector.alg}: another key is refused in plain words (${refused})`);
  check(owner.fragment(vector.alg, hex(vector.ownerPublic)) === vector.fragment, `${vector.alg}: the fragment`);
  const read = owner.publicFromFragment("#" + vector.fragment);
  check(read && read.alg === vector.alg && toHex(read.raw) === vector.ownerPublic, `${vector.alg}: reads the fragment`);
  check(await owner.fingerprint(vector.alg, hex(vector.ownerPublic)) === vector.fingerprint, `${vector.alg}: the fingerprint`);
}
check(owner.publicFromFragment("#pk=X25519.short") === null && owner.publicFromFragment("#pk=RSA.AAAA") === null, "refuses a malformed owner key");
const sealedOwner = vectors.ownerKeyWrap;
const opened = await owner.openPrivateKey(sealedOwner.wrap, sealedOwner.passphrase, "X25519", hex(vectors.ownerWraps[0].ownerPublic));
check(toHex(opened.pkcs8) === sealedOwner.ownerPrivate, "opens the sealed owner key");
const resealed = await owner.sealPrivateKey(opened, sealedOwner.passphrase, {
  salt: e2e.fromB64url(sealedOwner.wrap.salt), nonce: e2e.fromB64url(sealedOwner.wrap.nonce), iterations: sealedOwner.wrap.iterations });
check(resealed.wrapped === sealedOwner.wrap.wrapped, "seals the owner key to the vector");
const wrongPassphrase = await owner.openPrivateKey(sealedOwner.wrap, "not it", "X25519", null).then(() => "opened", (error) => error.message);
check(/passphrase does not open/.test(wrongPassphrase), "refuses a wrong passphrase");

if (failures) { console.error(`${failures} failed`); process.exit(1); }
