// Dropgate's upload page: each file goes straight to the store with presigned URLs, the gateway checks it, and the
// files dropped together become one share with one link. Big files upload in parts that survive a network drop and
// a reload (the plan is kept in localStorage). No build step, no dependencies.
import { session, showAccount } from "/static/account.js";
import * as e2e from "/static/e2e.js";
import { backoff, button, Cancelled, fingerprint, humanSize, keepPlan, loadPlans, put, sha256Base64, sleep } from "/static/upload-kit.js";
import { remember } from "/static/your-shares.js";
import { ownerKey, passHeader, refusal, requestID, showRequest, submit } from "/static/request.js";
import { filesFromDrop, filesFromPicker, folderOf } from "/static/folders.js";
import { wrapToOwner } from "/static/owner-key.js";
import { mailForm } from "/static/mail-link.js";
import { drawThumbnail } from "/static/thumbnail.js";
import { t } from "/static/i18n.js";

const list = document.getElementById("uploads");
const drop = document.getElementById("drop");
const picker = document.getElementById("files");
// On a file request's page (/r/{id}), files are declared under the request and handed to its owner.
if (requestID) showRequest();
// From /me, "Add files": the files dropped here join that share (its owner's, signed in) instead of making a new one.
const addTo = (() => {
  const id = new URLSearchParams(window.location.search).get("addTo");
  return id && /^[A-Za-z0-9_-]{22}$/.test(id) ? id : null;
})();
if (addTo) {
  const notice = document.getElementById("add-to");
  notice.textContent = t("The files you drop now are added to your share (not encrypted).") + " ";
  const back = document.createElement("a");
  back.href = "/me";
  back.textContent = t("Back to your shares");
  notice.append(back);
  notice.hidden = false;
  // A share's added files are plain: its sealed manifest, if it had one, could not list them.
  document.getElementById("encrypt").checked = false;
  document.getElementById("encrypt").disabled = true;
}
// What the gateway accepts (GET /api/limits); transfer policy comes with each plan.
const limits = fetch("/api/limits").then((response) => response.json()).catch(() => ({ hashLimit: 0 }));
// The token field shows only when this gateway needs a token.
limits.then((known) => { document.getElementById("token-field").hidden = !known.tokenRequired; });

// A row of the upload list: name, progress with percent, speed and time left, status, Cancel and Retry.
function row(file) {
  const item = document.createElement("li");
  item.className = "upload";
  item.innerHTML = '<div class="name"></div><progress max="100" value="0"></progress><div class="meter" aria-hidden="true"></div><div class="status"></div><div class="actions"></div>';
  item.querySelector(".name").textContent = `${file.name} (${humanSize(file.size)})`;
  item.querySelector("progress").setAttribute("aria-label", t("Upload progress of {name}", { name: file.name }));
  list.appendChild(item);
  const meter = item.querySelector(".meter");
  const actions = item.querySelector(".actions");
  let started = performance.now(), base = 0;
  return {
    item,
    // Percent, speed and time left, from the bytes sent since this attempt began.
    progress: (fraction) => {
      item.querySelector("progress").value = Math.round(fraction * 100);
      const seconds = (performance.now() - started) / 1000;
      const speed = seconds > 0 ? (Math.max(0, fraction - base) * file.size) / seconds : 0;
      const left = speed > 0 ? Math.ceil(((1 - fraction) * file.size) / speed) : 0;
      meter.textContent = fraction >= 1 ? "" : `${Math.floor(fraction * 100)}% · ${humanSize(speed)}/s · ${speed > 0 ? t("{seconds} s left", { seconds: left }) : t("starting")}`;
    },
    restart: (fraction) => { started = performance.now(); base = fraction; item.classList.remove("failed"); },
    status: (text) => { item.querySelector(".status").textContent = text; },
    error: (text) => { item.classList.add("failed"); meter.textContent = ""; item.querySelector(".status").textContent = text; },
    actions: (...buttons) => actions.replaceChildren(...buttons),
    verified: () => { item.classList.add("verified"); meter.textContent = ""; actions.replaceChildren(); },
  };
}

// The row of a finished share: its link, Copy and (unless the key is in the link's fragment) a QR code.
function showShare(view, share, title, withQR = true) {
  view.item.classList.add("done");
  const status = view.item.querySelector(".status");
  status.textContent = "";
  const link = document.createElement("a");
  link.href = share.url;
  link.textContent = share.url;
  link.className = "share-link";
  const copy = button(t("Copy link"), t("Copy the link to {title}", { title }), async () => {
    try { await navigator.clipboard.writeText(share.url); copy.textContent = t("Copied"); }
    catch { copy.textContent = t("Select and copy the link"); }
  });
  const qr = document.createElement("img");
  qr.className = "qr";
  qr.src = `/s/${encodeURIComponent(share.id)}/qr.svg`;
  qr.alt = t("QR code of the link to {title}", { title });
  status.append(link, " ", copy);
  if (withQR) status.append(qr);
  view.actions();
}

function apiHeaders() {
  const headers = { "Content-Type": "application/json" };
  const token = document.getElementById("token").value.trim();
  if (token) headers["Authorization"] = `Bearer ${token}`;
  if (session && session.csrfToken) headers["X-CSRF-Token"] = session.csrfToken;
  if (passHeader()) headers["X-Request-Pass"] = passHeader();
  return headers;
}

showAccount();

// A gateway call; its JSON, or an Error carrying the gateway's message and status.
async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, { method, headers: apiHeaders(), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw Object.assign(new Error(t("The gateway could not be reached (network error).")), { network: true });
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(answer.error ? answer.error.message : t("The gateway answered {status}.", { status: response.status })), { status: response.status, code: answer.error && answer.error.code });
  return answer;
}

// What a FileUpload sends: the file itself, or (end to end) its sealed form, made a record at a time as it is read.
function plainSource(file) {
  return { size: file.size, slice: async (start, end) => file.slice(start, end), declared: { filename: file.name, contentType: file.type || "application/octet-stream" } };
}

function sealedSource(file, key, head, number, kept) {
  const size = e2e.sealedSize(file.size, e2e.RECORD_SIZE);
  return {
    size, sealed: true, e2e: kept, slice: (start, end) => e2e.sealedSlice(key, head, file, start, end),
    declared: { filename: `encrypted-${number}`, contentType: "application/octet-stream", encryption: { plaintextSize: file.size, recordSize: e2e.RECORD_SIZE } },
  };
}

// One file's upload: declare (or find the kept plan), send the bytes with retries, verify. Cancel aborts it.
class FileUpload {
  constructor(file, batch, source) {
    this.file = file;
    this.source = source || plainSource(file);
    this.batch = batch;
    this.view = row(file);
    this.requests = new Set();
    this.cancelled = false;
    this.view.actions(button(t("Cancel"), t("Cancel the upload of {name}", { name: file.name }), () => this.cancel()));
  }

  async run() {
    try {
      if (!this.plan) this.plan = await this.declare();
      this.view.restart(this.view.item.querySelector("progress").value / 100);
      this.view.actions(button(t("Cancel"), t("Cancel the upload of {name}", { name: this.file.name }), () => this.cancel()));
      const completion = this.plan.multipart ? { parts: await this.sendParts() } : await this.sendWhole();
      if (this.cancelled) return;
      this.view.progress(1);
      await this.sendThumbnail();
      this.view.status(t("Checking…"));
      completion.collection = true;
      this.receipt = (await api("POST", `/api/uploads/${encodeURIComponent(this.plan.id)}/complete`, completion)).receipt;
      keepPlan(this.file, null);
      this.view.verified();
      this.view.status(this.batch.files.length > 1 ? t("Checked; waiting for the other files…") : t("Checked."));
      this.batch.settled(this);
    } catch (error) {
      if (this.cancelled || error instanceof Cancelled) return;
      // An upload id that expired, or a single PUT whose URL did, is declared afresh on Retry.
      if (error.code === "unknown_upload" || (this.plan && !this.plan.multipart && error.status === 403)) { keepPlan(this.file, null); this.plan = null; }
      this.failed = error;
      this.view.error(t(error.message));
      this.view.actions(
        Object.assign(button(t("Retry"), t("Retry the upload of {name}", { name: this.file.name }), () => this.retry()), { className: "retry" }),
        button(t("Cancel"), t("Cancel the upload of {name}", { name: this.file.name }), () => this.cancel()));
      this.batch.settled(this);
    }
  }

  // The file's thumbnail (an image's, a video's poster frame), sent beside it; a file without one, or one the browser
  // cannot draw, shows an icon instead, so nothing here fails the upload. An encrypted file's is sealed under the
  // batch's key like its file, with a fresh random nonce prefix of its own (as the manifest is).
  async sendThumbnail() {
    if (this.thumbnailSent) return;
    try {
      let blob = await drawThumbnail(this.file);
      if (!blob) return;
      if (this.source.sealed) {
        const plain = new Uint8Array(await blob.arrayBuffer());
        blob = new Blob([await e2e.seal(this.batch.key, e2e.header(e2e.RECORD_SIZE, e2e.randomBytes(7)), plain)], { type: "application/octet-stream" });
      }
      const plan = await api("POST", `/api/uploads/${encodeURIComponent(this.plan.id)}/thumbnail`, { size: blob.size, contentType: blob.type });
      await put(plan.url, blob, plan.headers, () => {});
      this.thumbnailSent = true;
    } catch (error) {
      console.warn(`No thumbnail for ${this.file.name}: ${error.message}`);
    }
  }

  retry() {
    if (this.cancelled || !this.failed) return;
    this.failed = null;
    this.view.status(t("Resuming…"));
    this.batch.pending.add(this);
    this.run();
  }

  async declare() {
    const earlier = loadPlans()[fingerprint(this.file)];
    const matches = earlier && (earlier.e2e ? this.source.e2e && earlier.e2e.key === this.source.e2e.key && earlier.e2e.prefix === this.source.e2e.prefix : !this.source.sealed);
    if (matches) {
      this.view.status(t("Resuming the earlier upload…"));
      return earlier;
    }
    const declaration = { ...this.source.declared, size: this.source.size, expiresIn: this.batch.terms.expiresIn };
    const hashable = this.source.sealed ? 8 * 1000 * 1000 : (await limits).hashLimit;
    if (this.source.size <= hashable && window.crypto && crypto.subtle) {
      this.view.status(t("Preparing…"));
      declaration.sha256 = await sha256Base64(await this.source.slice(0, this.source.size));
    }
    const plan = await api("POST", requestID ? `/api/requests/${requestID}/uploads` : "/api/uploads", declaration);
    // A multipart plan is kept (without its URLs, which GET and POST /api/uploads/{id}/parts renew) for a reload.
    const kept = {
      id: plan.id, url: plan.url, headers: plan.headers, transfer: plan.transfer,
      multipart: plan.multipart && { partSize: plan.multipart.partSize, count: plan.multipart.parts.length },
      resumableUntil: plan.multipart && plan.multipart.resumableUntil,
      // An encrypted upload resumes only with the same key and prefix (its records are sealed the same again).
      e2e: this.source.e2e,
    };
    if (plan.multipart) keepPlan(this.file, kept);
    return { ...kept, fresh: plan.multipart && plan.multipart.parts };
  }

  async sendWhole() {
    this.view.status(t("Uploading…"));
    for (let attempt = 0; ; attempt++) {
      try {
        await sleep(backoff[attempt]);
        const body = await this.source.slice(0, this.source.size);
        await put(this.plan.url, body, this.plan.headers, (loaded) => this.view.progress(loaded / Math.max(this.source.size, 1)), (xhr) => this.track(xhr));
        return {};
      } catch (error) {
        // 412: an earlier attempt arrived although its answer was lost (the URL writes once); the check will tell.
        if (error.status === 412) return {};
        if (error instanceof Cancelled || attempt + 1 >= backoff.length || (error.status && error.status < 500)) throw error;
        this.view.status(t("The network dropped; trying again ({attempt} of {attempts})…", { attempt: attempt + 1, attempts: backoff.length - 1 }));
      }
    }
  }

  // The parts the store has (ListParts through the gateway), fresh URLs for the others, then those others.
  async sendParts() {
    const { partSize, count } = this.plan.multipart;
    const { parallelParts } = this.plan.transfer;
    this.view.status(t("Uploading…"));
    const done = new Map();
    let fresh = this.plan.fresh;
    this.plan.fresh = null;
    if (!fresh) {
      for (const part of (await api("GET", `/api/uploads/${encodeURIComponent(this.plan.id)}/parts`)).parts) {
        const length = Math.min(partSize, this.source.size - (part.partNumber - 1) * partSize);
        if (part.size === length) done.set(part.partNumber, part.etag);
      }
      const missing = [];
      for (let number = 1; number <= count; number++) if (!done.has(number)) missing.push(number);
      fresh = missing.length ? (await api("POST", `/api/uploads/${encodeURIComponent(this.plan.id)}/parts`, { parts: missing })).parts : [];
    }
    const sent = new Map();
    const total = this.source.size;
    for (const [number] of done) sent.set(number, Math.min(partSize, total - (number - 1) * partSize));
    const report = () => this.view.progress([...sent.values()].reduce((a, b) => a + b, 0) / total);
    report();
    this.view.restart([...sent.values()].reduce((a, b) => a + b, 0) / total);
    const queue = [...fresh];
    const worker = async () => {
      while (queue.length && !this.cancelled) {
        const part = queue.shift();
        const blob = await this.source.slice((part.partNumber - 1) * partSize, Math.min(total, part.partNumber * partSize));
        for (let attempt = 0; ; attempt++) {
          try {
            await sleep(backoff[attempt]);
            if (this.cancelled) throw new Cancelled("Cancelled.");
            const etag = await put(part.url, blob, {}, (loaded) => { sent.set(part.partNumber, loaded); report(); }, (xhr) => this.track(xhr));
            done.set(part.partNumber, etag);
            sent.set(part.partNumber, blob.size);
            report();
            break;
          } catch (error) {
            sent.set(part.partNumber, 0);
            if (error instanceof Cancelled || attempt + 1 >= backoff.length) {
              throw Object.assign(new Error(error instanceof Cancelled ? error.message : t("The upload stopped at {percent}%: {reason} Retry continues where it stopped.", { percent: Math.floor(([...sent.values()].reduce((a, b) => a + b, 0) / total) * 100), reason: error.message })), { cancelled: error instanceof Cancelled });
            }
            this.view.status(t("The network dropped; trying part {part} again ({attempt} of {attempts})…", { part: part.partNumber, attempt: attempt + 1, attempts: backoff.length - 1 }));
          }
        }
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(parallelParts, queue.length)) }, worker);
    const results = await Promise.allSettled(workers);
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason.cancelled ? new Cancelled("Cancelled.") : failure.reason;
    return [...done.entries()].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }));
  }

  track(xhr) {
    this.requests.add(xhr);
    xhr.addEventListener("loadend", () => this.requests.delete(xhr));
  }

  async cancel() {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const xhr of this.requests) xhr.abort();
    keepPlan(this.file, null);
    this.view.error(t("Cancelled."));
    this.view.actions();
    if (this.plan) await api("DELETE", `/api/uploads/${encodeURIComponent(this.plan.id)}`).catch(() => {});
    this.batch.settled(this);
  }
}

// Files chosen, dropped or pasted together: one share once every file is checked (cancelled ones are left out).
// End to end, every file is sealed with one new share key, and the manifest (names, types, sizes) is sealed and
// uploaded last, as the share's first file, listing the files that made it.
class Batch {
  constructor(files) {
    this.files = files;
    this.terms = { expiresIn: Number(document.getElementById("expires").value) };
    const downloads = document.getElementById("downloads").value;
    if (downloads) this.terms.maxDownloads = Number(downloads);
    if (document.getElementById("burn").checked) { this.terms.burnAfterReading = true; delete this.terms.maxDownloads; }
    if (document.getElementById("card-image").checked) this.terms.cardImage = true;
    this.password = document.getElementById("password").value;
    // A request encrypted to its owner seals every file, whatever the (hidden) share options say.
    this.encrypt = requestID ? Boolean(ownerKey()) : document.getElementById("encrypt").checked;
    if (this.password && !this.encrypt) this.terms.password = this.password;
  }

  async start() {
    if (this.encrypt) {
      const plans = loadPlans();
      const resumed = this.files.map((file) => plans[fingerprint(file)]).find((plan) => plan && plan.e2e);
      this.rawKey = resumed ? e2e.fromB64url(resumed.e2e.key) : e2e.randomBytes(32);
      this.key = await e2e.importKey(this.rawKey);
    }
    const keyText = this.encrypt ? e2e.b64url(this.rawKey) : null;
    this.uploads = this.files.map((file, index) => {
      if (!this.encrypt) return new FileUpload(file, this);
      const kept = loadPlans()[fingerprint(file)];
      const prefix = kept && kept.e2e && kept.e2e.key === keyText ? e2e.fromB64url(kept.e2e.prefix) : e2e.randomBytes(7);
      const head = e2e.header(e2e.RECORD_SIZE, prefix);
      // A share's manifest is its file 1; a request's is carried by its submission, so its files start at 1.
      const number = requestID ? index + 1 : index + 2;
      return new FileUpload(file, this, sealedSource(file, this.key, head, number, { key: keyText, prefix: e2e.b64url(prefix) }));
    });
    this.pending = new Set(this.uploads);
    for (const upload of this.uploads) upload.run();
  }

  settled(upload) {
    if (upload.receipt || upload.cancelled) this.pending.delete(upload);
    if (this.pending.size > 0 || this.shared) return;
    const ready = this.uploads.filter((each) => each.receipt);
    if (ready.length === 0) return;
    this.shared = true;
    this.share(ready);
  }

  // The sealed manifest of the files that made it (names, types, sizes), under the batch's key.
  async sealedManifest(ready) {
    const listed = { v: 1, files: ready.map((each) => ({ name: each.file.name, type: each.file.type || "application/octet-stream", size: each.file.size,
      ...(folderOf.get(each.file) ? { folder: folderOf.get(each.file) } : {}) })) };
    const bytes = new TextEncoder().encode(JSON.stringify(listed));
    return { bytes, sealed: await e2e.seal(this.key, e2e.header(e2e.RECORD_SIZE, e2e.randomBytes(7)), bytes) };
  }

  // The sealed manifest uploaded as one small PUT; its receipt.
  async manifest(ready) {
    const { bytes, sealed } = await this.sealedManifest(ready);
    const plan = await api("POST", "/api/uploads", {
      filename: "encrypted-1", size: sealed.length, contentType: "application/octet-stream", expiresIn: this.terms.expiresIn,
      encryption: { plaintextSize: bytes.length, recordSize: e2e.RECORD_SIZE },
    });
    await put(plan.url, new Blob([sealed]), plan.headers, () => {});
    return (await api("POST", `/api/uploads/${encodeURIComponent(plan.id)}/complete`, { collection: true })).receipt;
  }

  async share(ready) {
    const title = ready.length === 1 ? ready[0].file.name : t("{count} files", { count: ready.length });
    const view = ready.length === 1 ? ready[0].view : row({ name: title, size: ready.reduce((total, each) => total + each.file.size, 0) });
    if (ready.length > 1) { view.item.classList.add("collection"); view.item.querySelector("progress").value = 100; }
    try {
      if (requestID) {
        let sealed = null;
        if (this.encrypt) {
          // Sent with the submission, never as a file: the names, sealed; the key, wrapped to the owner.
          const key = ownerKey();
          sealed = { manifest: e2e.b64url((await this.sealedManifest(ready)).sealed), keyWrap: await wrapToOwner(this.rawKey, key.alg, key.raw) };
        }
        const kept = await submit(api, ready.map((each) => each.receipt), sealed);
        view.item.classList.add("done");
        const names = this.encrypt ? ready.map((each) => each.file.name) : kept.files.map((file) => file.name);
        const sent = { names: names.join(", ") };
        view.status(this.encrypt
          ? (names.length === 1 ? t("Sent, encrypted: {names}. Its owner can download it now.", sent) : t("Sent, encrypted: {names}. Its owner can download them now.", sent))
          : (names.length === 1 ? t("Sent: {names}. Its owner can download it now.", sent) : t("Sent: {names}. Its owner can download them now.", sent)));
        view.actions();
        if (ready.length > 1) for (const each of ready) each.view.status(t("Sent with the others."));
        return;
      }
      if (addTo) {
        const changed = await api("PATCH", `/api/shares/${encodeURIComponent(addTo)}`, { addFiles: ready.map((each) => each.receipt) });
        showShare(view, changed, changed.title);
        if (ready.length > 1) for (const each of ready) each.view.status(t("Added to the share below."));
        return;
      }
      // The link's name is read when the share is made, so a retry after "taken" uses the name typed since.
      const body = { files: ready.map((each) => each.receipt), ...this.terms, ...linkTerms() };
      // A plain share's folders go to the gateway; an encrypted one's are in its sealed manifest only.
      const folders = ready.map((each) => folderOf.get(each.file) ?? "");
      if (!this.encrypt && folders.some(Boolean)) body.folders = folders;
      let fragment = "";
      if (this.encrypt) {
        view.status(t("Sealing the list of files…"));
        body.files.unshift(await this.manifest(ready));
        body.encrypted = true;
        if (this.password) {
          const { wrap, access } = await e2e.wrapKey(this.rawKey, this.password);
          body.password = access; // the gateway sees PBKDF2's other half, never the password or the key
          body.keyWrap = wrap;
          fragment = "#p"; // no secret: it tells clients the share is encrypted, so none sends the password itself
        } else {
          fragment = `#k=${e2e.b64url(this.rawKey)}`;
        }
      }
      const result = await api("POST", "/api/shares", body);
      const share = { ...result.share, url: result.share.url + fragment };
      showShare(view, share, title, !this.encrypt);
      if ((await limits).mail && !this.encrypt && result.deleteToken) view.item.append(mailForm(share.id, result.deleteToken));
      if (ready.length > 1) for (const each of ready) each.view.status(t("Shared in the link below."));
      remember(title, { ...result, share });
    } catch (error) {
      this.shared = false;
      view.error(t(error.message));
      view.actions(Object.assign(button(t("Retry"), t("Retry sharing {title}", { title }), () => { view.status(""); this.settled(ready[0]); }), { className: "retry" }));
    }
  }
}

// The readable link the options ask for: a custom name, words, or none (the random id alone).
function linkTerms() {
  const kind = document.getElementById("link-kind").value;
  if (kind === "words") return { wordLink: true };
  const name = document.getElementById("custom-link").value.trim();
  return kind === "custom" && name ? { link: name } : {};
}
const linkKind = document.getElementById("link-kind");
linkKind.addEventListener("change", () => { document.getElementById("custom-link-field").hidden = linkKind.value !== "custom"; });

// A refusal of what was chosen, in plain words, where the uploads are listed.
function refuse(message) {
  const item = document.createElement("li");
  item.className = "upload failed";
  const said = document.createElement("p");
  said.className = "status";
  said.setAttribute("role", "alert");
  said.textContent = message;
  item.append(said);
  list.appendChild(item);
}

function take(files) {
  const chosen = [...files];
  const refused = requestID && chosen.length > 0 ? refusal(chosen) : null;
  if (refused) {
    const item = document.createElement("li");
    item.className = "upload failed";
    item.textContent = refused;
    list.appendChild(item);
    return;
  }
  if (chosen.length > 0) new Batch(chosen).start().catch((error) => { for (const item of list.querySelectorAll(".upload:not(.done)")) item.classList.add("failed"); console.error(error); });
}

// Back online: every interrupted upload carries on by itself.
window.addEventListener("online", () => {
  for (const retry of document.querySelectorAll(".upload.failed .actions button:first-child")) {
    if (retry.classList.contains("retry")) retry.click();
  }
});

// The options form never submits (Enter in the token field would reload the page).
document.getElementById("options").addEventListener("submit", (event) => event.preventDefault());

picker.addEventListener("change", () => { take(picker.files); picker.value = ""; });
// Text becomes a share like any file (expiry, limits, password, encryption), as a UTF-8 text file made here.
document.getElementById("text-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const area = document.getElementById("text");
  if (!area.value) return;
  const markdown = document.getElementById("markdown").checked;
  take([new File([area.value], markdown ? "text.md" : "text.txt", { type: markdown ? "text/markdown" : "text/plain" })]);
  area.value = "";
});
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  filesFromDrop(event.dataTransfer).then(take, (error) => refuse(`${t("Nothing was uploaded.")} ${error.message}`));
});
const folderPicker = document.getElementById("folder");
folderPicker.addEventListener("change", () => {
  try { take(filesFromPicker(folderPicker.files)); } catch (error) { refuse(`${t("Nothing was uploaded.")} ${error.message}`); }
  folderPicker.value = "";
});
// A file or a screenshot pasted anywhere on the page (Ctrl-V) is uploaded like a dropped one.
document.addEventListener("paste", (event) => {
  const files = event.clipboardData ? [...event.clipboardData.files] : [];
  if (files.length > 0) { event.preventDefault(); take(files); }
});
