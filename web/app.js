// Dropgate's upload page: each file goes straight to the store with presigned URLs, then the gateway
// checks it and returns a share link. No build step, no dependencies.
"use strict";

const list = document.getElementById("uploads");
const drop = document.getElementById("drop");
const picker = document.getElementById("files");
// What the gateway accepts (GET /api/limits); transfer policy comes with each plan.
const limits = fetch("/api/limits").then((response) => response.json()).catch(() => ({ hashLimit: 0 }));
// The token field shows only when this gateway needs a token.
limits.then((known) => { document.getElementById("token-field").hidden = !known.tokenRequired; });

function row(file) {
  const item = document.createElement("li");
  item.className = "upload";
  item.innerHTML = '<div class="name"></div><progress max="100" value="0"></progress><div class="meter" aria-hidden="true"></div><div class="status"></div>';
  item.querySelector(".name").textContent = `${file.name} (${humanSize(file.size)})`;
  item.querySelector("progress").setAttribute("aria-label", `Upload progress of ${file.name}`);
  list.appendChild(item);
  const started = performance.now();
  const meter = item.querySelector(".meter");
  return {
    // Percent, speed and time left, from the bytes sent so far.
    progress: (fraction) => {
      item.querySelector("progress").value = Math.round(fraction * 100);
      const seconds = (performance.now() - started) / 1000;
      const speed = seconds > 0 ? (fraction * file.size) / seconds : 0;
      const left = speed > 0 ? Math.ceil(((1 - fraction) * file.size) / speed) : 0;
      meter.textContent = fraction >= 1 ? "" : `${Math.floor(fraction * 100)}% · ${humanSize(speed)}/s · ${left} s left`;
    },
    status: (text) => { item.querySelector(".status").textContent = text; },
    error: (text) => { item.classList.add("failed"); item.querySelector(".status").textContent = text; },
    done: (share) => {
      item.classList.add("done");
      const status = item.querySelector(".status");
      status.textContent = "";
      const link = document.createElement("a");
      link.href = share.url;
      link.textContent = share.url;
      link.className = "share-link";
      const copy = document.createElement("button");
      copy.type = "button";
      copy.textContent = "Copy link";
      copy.addEventListener("click", async () => {
        try { await navigator.clipboard.writeText(share.url); copy.textContent = "Copied"; }
        catch { copy.textContent = "Select and copy the link"; }
      });
      const qr = document.createElement("img");
      qr.className = "qr";
      qr.src = `/s/${encodeURIComponent(share.id)}/qr.svg`;
      qr.alt = `QR code of the link to ${file.name}`;
      status.append(link, " ", copy, qr);
    },
  };
}

function humanSize(bytes) {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes, unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

async function sha256Base64(file) {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

function apiHeaders() {
  const headers = { "Content-Type": "application/json" };
  const token = document.getElementById("token").value.trim();
  if (token) headers["Authorization"] = `Bearer ${token}`;
  return headers;
}

async function api(path, body) {
  const response = await fetch(path, { method: "POST", headers: apiHeaders(), body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ? answer.error.message : `The gateway answered ${response.status}.`);
  return answer;
}

// PUTs a body with XHR (for upload progress); resolves with the ETag.
function put(url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers || {})) {
      if (name.toLowerCase() !== "content-length") xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.getResponseHeader("ETag") || "");
      else reject(new Error(storeError(xhr)));
    };
    xhr.onerror = () => reject(new Error("The upload was interrupted (network error)."));
    xhr.send(body);
  });
}

function storeError(xhr) {
  const code = /<Code>([^<]*)<\/Code>/.exec(xhr.responseText || "");
  const message = /<Message>([^<]*)<\/Message>/.exec(xhr.responseText || "");
  return `The store refused the upload (${xhr.status}${code ? " " + code[1] : ""})${message && message[1] ? ": " + message[1] : "."}`;
}

async function uploadParts(file, plan, view) {
  const { partSize, parts } = plan.multipart;
  const { parallelParts, partAttempts } = plan.transfer;
  const sent = new Array(parts.length).fill(0);
  const report = () => view.progress(sent.reduce((a, b) => a + b, 0) / file.size);
  const done = [];
  let next = 0;
  async function worker() {
    while (next < parts.length) {
      const index = next++;
      const part = parts[index];
      const blob = file.slice((part.partNumber - 1) * partSize, Math.min(file.size, part.partNumber * partSize));
      for (let attempt = 1; ; attempt++) {
        try {
          const etag = await put(part.url, blob, {}, (loaded) => { sent[index] = loaded; report(); });
          done.push({ partNumber: part.partNumber, etag });
          break;
        } catch (error) {
          sent[index] = 0;
          if (attempt >= partAttempts) throw new Error(`Part ${part.partNumber} failed ${partAttempts} times: ${error.message}`);
          view.status(`Retrying part ${part.partNumber}…`);
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelParts, parts.length)) }, worker));
  return done.sort((a, b) => a.partNumber - b.partNumber);
}

async function upload(file) {
  const view = row(file);
  try {
    const declaration = {
      filename: file.name,
      size: file.size,
      contentType: file.type || "application/octet-stream",
      expiresIn: Number(document.getElementById("expires").value),
    };
    const downloads = document.getElementById("downloads").value;
    if (downloads) declaration.maxDownloads = Number(downloads);
    if (file.size <= (await limits).hashLimit && window.crypto && crypto.subtle) {
      view.status("Preparing…");
      declaration.sha256 = await sha256Base64(file);
    }
    const plan = await api("/api/uploads", declaration);
    view.status("Uploading…");
    let completion = {};
    if (plan.multipart) {
      completion = { parts: await uploadParts(file, plan, view) };
    } else {
      await put(plan.url, file, plan.headers, (loaded) => view.progress(loaded / Math.max(file.size, 1)));
    }
    view.progress(1);
    view.status("Checking…");
    const result = await api(`/api/uploads/${encodeURIComponent(plan.id)}/complete`, completion);
    view.done(result.share);
    remember(file, result);
  } catch (error) {
    view.error(error.message);
  }
}

function take(files) { for (const file of files) upload(file); }

// "Your shares": what this browser uploaded, with the delete tokens that revoke them, in localStorage.
const mineKey = "dropgate.shares";

function loadMine() {
  try {
    const now = Date.now();
    return (JSON.parse(localStorage.getItem(mineKey)) || []).filter((entry) => Date.parse(entry.expiresAt) > now);
  } catch { return []; }
}

function saveMine(entries) {
  try { localStorage.setItem(mineKey, JSON.stringify(entries)); } catch { /* storage full or disabled: the list is a convenience */ }
}

function remember(file, result) {
  const entries = loadMine().filter((entry) => entry.id !== result.share.id);
  entries.unshift({ id: result.share.id, url: result.share.url, filename: file.name, deleteToken: result.deleteToken, expiresAt: result.expiresAt });
  saveMine(entries.slice(0, 200));
  showMine();
}

async function revoke(entry, button, status) {
  button.disabled = true;
  const response = await fetch(`/api/shares/${encodeURIComponent(entry.id)}`, {
    method: "DELETE", headers: { Authorization: `Bearer ${entry.deleteToken}` },
  }).catch(() => null);
  if (response && (response.status === 204 || response.status === 404)) {
    saveMine(loadMine().filter((kept) => kept.id !== entry.id));
    status.textContent = `Revoked: ${entry.filename} can no longer be opened.`;
    showMine();
  } else {
    button.disabled = false;
    const answer = response ? await response.json().catch(() => ({})) : {};
    status.textContent = answer.error ? answer.error.message : "The share could not be revoked; try again.";
  }
}

function showMine() {
  const section = document.getElementById("mine");
  const target = document.getElementById("mine-list");
  const entries = loadMine();
  target.replaceChildren();
  const said = document.getElementById("mine-status");
  section.hidden = entries.length === 0 && !(said && said.textContent);
  for (const entry of entries) {
    const item = document.createElement("li");
    item.className = "mine-item";
    const link = document.createElement("a");
    link.href = entry.url;
    link.className = "mine-link";
    link.textContent = entry.filename;
    const expires = document.createElement("span");
    expires.className = "hint";
    expires.textContent = ` until ${new Date(entry.expiresAt).toLocaleDateString()}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "revoke";
    button.textContent = "Revoke";
    button.setAttribute("aria-label", `Revoke the share of ${entry.filename}`);
    button.addEventListener("click", () => revoke(entry, button, document.getElementById("mine-status")));
    item.append(link, expires, " ", button);
    target.appendChild(item);
  }
}

// One live region says what a revocation did, even after its row is gone.
{
  const status = document.createElement("p");
  status.id = "mine-status";
  status.className = "mine-status";
  status.setAttribute("role", "status");
  document.getElementById("mine").appendChild(status);
  showMine();
}

// The options form never submits (Enter in the token field would reload the page).
document.getElementById("options").addEventListener("submit", (event) => event.preventDefault());

picker.addEventListener("change", () => { take(picker.files); picker.value = ""; });
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); take(event.dataTransfer.files); });
// A file or a screenshot pasted anywhere on the page (Ctrl-V) is uploaded like a dropped one.
document.addEventListener("paste", (event) => {
  const files = event.clipboardData ? [...event.clipboardData.files] : [];
  if (files.length > 0) { event.preventDefault(); take(files); }
});
