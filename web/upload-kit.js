// Pieces of the upload page: small UI helpers, PUTs with progress through XHR, and the multipart plans kept in
// localStorage so an upload resumes after a reload.

import { sizeText, t } from "/static/i18n.js";

// Waits before each attempt of a part: at once, then 1, 3 and 5 seconds; after that the file shows a Retry button.
export const backoff = [0, 1000, 3000, 5000];

export class Cancelled extends Error {}

// A size as the page's language writes it (1.5 MB, 1,5 Mo).
export const humanSize = sizeText;

export function button(text, label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  if (label) element.setAttribute("aria-label", label);
  element.addEventListener("click", onClick);
  return element;
}

// An element holding `words` as text (never markup), with an optional class.
export function text(tag, words, className) {
  const element = document.createElement(tag);
  element.textContent = words;
  if (className) element.className = className;
  return element;
}

// Saves bytes decrypted in the page under the file's name, made safe (a stranger chose it): no path, no control character.
export function saveBlob(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name.replace(/[\/\\\u0000-\u001f\u007f]/g, "_") || "file";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

export async function sha256Base64(file) {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

// PUTs a body with XHR (for upload progress); resolves with the ETag. `track` receives the XHR, so Cancel can abort it.
export function put(url, body, headers, onProgress, track) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers || {})) {
      if (name.toLowerCase() !== "content-length") xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.getResponseHeader("ETag") || "");
      else reject(Object.assign(new Error(storeError(xhr)), { status: xhr.status }));
    };
    xhr.onerror = () => reject(Object.assign(new Error("The network dropped."), { network: true }));
    xhr.onabort = () => reject(new Cancelled("Cancelled."));
    if (track) track(xhr);
    xhr.send(body);
  });
}

export function storeError(xhr) {
  const code = /<Code>([^<]*)<\/Code>/.exec(xhr.responseText || "");
  const message = /<Message>([^<]*)<\/Message>/.exec(xhr.responseText || "");
  const status = `${xhr.status}${code ? " " + code[1] : ""}`;
  return message && message[1] ? t("The store refused the upload ({status}): {message}", { status, message: message[1] }) : t("The store refused the upload ({status}).", { status });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Multipart plans kept across reloads, by file: the upload id, part size and the parts known done.
export const plansKey = "dropgate.plans";

export function fingerprint(file) { return `${file.name}\u0000${file.size}\u0000${file.lastModified}`; }

export function loadPlans() {
  try {
    const now = Date.now();
    const plans = JSON.parse(localStorage.getItem(plansKey)) || {};
    return Object.fromEntries(Object.entries(plans).filter(([, plan]) => Date.parse(plan.resumableUntil) > now));
  } catch { return {}; }
}

export function keepPlan(file, plan) {
  const plans = loadPlans();
  if (plan) plans[fingerprint(file)] = plan; else delete plans[fingerprint(file)];
  try { localStorage.setItem(plansKey, JSON.stringify(plans)); } catch { /* storage full or disabled: no resume after a reload */ }
}

/** A share file's counted link, fetched; an Error in plain words when the gateway refuses it (410: limit, expiry, revocation). */
export async function fetchCounted(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(response.status === 410 ? "A file can no longer be downloaded (the share's limit, expiry or revocation)." : `The gateway answered ${response.status}.`);
  }
  return response;
}
