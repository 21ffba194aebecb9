// A file request's page (/r/{id}): what the request asks for and what is left, the sender's name and email, and
// handing the uploaded files over. The upload itself is the upload page's (app.js), declared under the request.
import { humanSize } from "/static/upload-kit.js";
import { t } from "/static/i18n.js";
import * as e2e from "/static/e2e.js";
import * as owner from "/static/owner-key.js";

const match = /^\/r\/([A-Za-z0-9_-]{22})$/.exec(window.location.pathname);
export const requestID = match ? match[1] : null;

let known = null;
// An encrypted request's owner key, from this link's fragment (never from the gateway, which could swap it).
let ownerPublic = null;

// The owner's key when the request is encrypted to its owner: every file is sealed, and its key wrapped, to it.
export function ownerKey() { return ownerPublic; }
// The pass a request with a password gives once the password is right (an hour; kept in this page only).
let pass = null;

// The header the sender's calls carry on a request with a password.
export function passHeader() { return pass; }

document.getElementById("request-unlock").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = document.getElementById("request-password");
  const response = await fetch(`/api/requests/${requestID}/unlock`, {
    method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ password: field.value }),
  });
  const answer = await response.json().catch(() => ({}));
  field.value = "";
  if (!response.ok) {
    document.getElementById("request-left").textContent = answer.error ? answer.error.message : t("The gateway answered {status}.", { status: response.status });
    field.focus();
    return;
  }
  pass = answer.pass;
  await showRequest();
});

// The sender's fields never submit the page (Enter in them would reload it).
document.getElementById("sender").addEventListener("submit", (event) => event.preventDefault());

// The upload page, made the request's: the sender's fields in, the share options and this browser's shares out.
if (requestID) {
  document.getElementById("page-title").textContent = t("File request");
  document.getElementById("page-lead").textContent = "";
  document.getElementById("drop-hint").textContent =
    t("Your files go straight to storage, to the person who asked for them. Big files upload in parts and resume after a drop or a reload.");
  for (const id of ["request-left", "sender"]) document.getElementById(id).hidden = false;
  for (const id of ["options", "text-share", "mine", "folder-pick"]) document.getElementById(id).hidden = true;
  document.getElementById("mine").dataset.never = "true";
}

// Draws the request: title, note, and what is left; or why it takes nothing.
export async function showRequest() {
  const response = await fetch(`/api/requests/${requestID}`, { headers: { Accept: "application/json" } });
  const answer = await response.json().catch(() => ({}));
  const status = document.getElementById("request-left");
  if (!response.ok) {
    document.getElementById("page-title").textContent = t("File request not found");
    status.textContent = answer.error ? answer.error.message : t("The gateway answered {status}.", { status: response.status });
    document.getElementById("drop").hidden = true;
    return null;
  }
  known = answer;
  document.getElementById("page-title").textContent = answer.title;
  document.title = `${answer.title} · Dropgate`;
  document.getElementById("page-lead").textContent = answer.note || "";
  const types = answer.allowedTypes.length ? ` ${t("Types: {types}.", { types: answer.allowedTypes.join(", ") })}` : "";
  const full = answer.filesLeft === 0 || answer.bytesLeft === 0;
  status.textContent = answer.closed
    ? `${t("This request takes no more files.")} ${t(answer.closed)}`
    : full
      ? t("This request has all the files it takes.")
      : (answer.filesLeft === 1
        ? t("Up to 1 more file, {total} in all, {each} a file.", { total: humanSize(answer.bytesLeft), each: humanSize(answer.maxFileBytes) })
        : t("Up to {count} more files, {total} in all, {each} a file.",
          { count: answer.filesLeft, total: humanSize(answer.bytesLeft), each: humanSize(answer.maxFileBytes) })) + types;
  const locked = Boolean(answer.passwordRequired) && !pass && !answer.closed;
  // A link that carries a key never sends plaintext, whatever the gateway says of the request.
  const keyProblem = answer.publicKey
    ? await checkOwnerKey(answer.publicKey)
    : (location.hash.startsWith("#pk=") ? t("This link carries a key, but the gateway says the request is not encrypted: do not send files, and ask the person who sent you the link.") : null);
  if (keyProblem) status.textContent = keyProblem;
  document.getElementById("request-unlock").hidden = !locked || Boolean(keyProblem);
  document.getElementById("drop").hidden = Boolean(answer.closed) || full || locked || Boolean(keyProblem);
  return answer;
}

// Reads the owner's key from the link's fragment, and says what is wrong with it, if anything: missing, malformed, or
// not the key the gateway holds for the request (someone changed one of them). Shows its fingerprint when it is good.
async function checkOwnerKey(published) {
  const fromLink = owner.publicFromFragment(location.hash);
  const notice = document.getElementById("request-e2e");
  if (!fromLink) return t("This request is encrypted to its owner, and this link lacks its key: open the whole link you were given, with the part after the #.");
  if (fromLink.alg !== published.alg || e2e.b64url(fromLink.raw) !== published.key) {
    return t("The key in this link is not the key this request was made with: do not send files, and ask the person who sent you the link.");
  }
  ownerPublic = fromLink;
  notice.hidden = false;
  notice.textContent = t("Your files are encrypted in this browser to the person who asked for them: nobody else, not this server, can read them. Their key's fingerprint: {fingerprint}.", { fingerprint: await owner.fingerprint(fromLink.alg, fromLink.raw) });
  return null;
}

// Why these files cannot go, before any is sent (the gateway holds the caps either way).
export function refusal(files) {
  if (!known) return t("This request could not be read.");
  if (known.closed) return `${t("This request takes no more files.")} ${known.closed}`;
  if (files.length > known.filesLeft) {
    return known.filesLeft === 1
      ? t("This request takes 1 more file; you chose {chosen}.", { chosen: files.length })
      : t("This request takes {count} more files; you chose {chosen}.", { count: known.filesLeft, chosen: files.length });
  }
  // Encrypted, what the store holds (and the caps count) is the sealed size.
  const stored = (file) => (ownerPublic ? e2e.sealedSize(file.size, e2e.RECORD_SIZE) : file.size);
  const big = files.find((file) => stored(file) > known.maxFileBytes);
  if (big) {
    const over = { name: big.name, each: humanSize(known.maxFileBytes) };
    return ownerPublic ? t("{name} is over the request's {each} a file (once encrypted).", over) : t("{name} is over the request's {each} a file.", over);
  }
  const total = files.reduce((sum, file) => sum + stored(file), 0);
  if (total > known.bytesLeft) return t("These files ({total}) are more than the {left} the request takes.", { total: humanSize(total), left: humanSize(known.bytesLeft) });
  return null;
}

// Hands the receipts over with the sender's name and email; the submission as the gateway kept it.
export async function submit(api, receipts, sealed) {
  const body = { files: receipts, ...(sealed || {}) };
  const name = document.getElementById("sender-name").value.trim();
  const email = document.getElementById("sender-email").value.trim();
  if (name) body.name = name;
  if (email) body.email = email;
  const kept = await api("POST", `/api/requests/${requestID}/submissions`, body);
  await showRequest();
  return kept;
}
