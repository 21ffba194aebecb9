// The page of an end-to-end encrypted share: the key comes from the link's #k= (or is unwrapped with the password),
// the manifest and the files are fetched as ciphertext and decrypted here. Nothing is shown without the key, and a
// wrong key or a changed byte gives a plain-words error, never garbage.
import * as e2e from "/static/e2e.js";
import { fetchCounted, humanSize, saveBlob } from "/static/upload-kit.js";
import { archivePaths, chunksOf } from "/static/zip.js";
import { saveZip } from "/static/zip-sink.js";
import { t } from "/static/i18n.js";

// Files are decrypted into memory; bigger ones are for `dropgate download`.
const MEMORY_LIMIT = 500 * 1000 * 1000;
// Types shown on the page, always from a blob of a type set here (the manifest's type only chooses among these): the
// gateway's one list of inline-safe types, given in the page's data-inline-types; the element follows the top-level type.
const ELEMENTS = { image: "img", video: "video", audio: "audio", text: "text" };
function shownAs(type) {
  const listed = (document.getElementById("e2e")?.dataset.inlineTypes ?? "").split(" ");
  return typeof type === "string" && listed.includes(type) ? ELEMENTS[type.split("/")[0]] : undefined;
}

const status = (text) => { const element = document.getElementById("e2e-status"); if (element) element.textContent = text; };
const keyName = (id) => `dropgate.key.${id}`;

function plainWords(error) {
  if (error instanceof e2e.SealedError) {
    return error.kind === "tampered"
      ? t("This share could not be decrypted: the key in the link is wrong, or the stored file was changed. Nothing is shown.")
      : t("This share could not be decrypted: {reason}", { reason: t(error.message) });
  }
  return t(error.message);
}

// The password form of an encrypted share: the password never leaves the page. Its PBKDF2 gives the access secret,
// which unlocks the share at the gateway, and the wrapping key, which opens the share key.
async function unlock(locked) {
  const form = locked.querySelector("form");
  const input = locked.querySelector("#password");
  let said = locked.querySelector(".form-error");
  const say = (text) => {
    if (!said) {
      said = document.createElement("p");
      said.className = "form-error";
      said.id = "password-error";
      said.setAttribute("role", "alert");
      form.before(said);
      input.setAttribute("aria-describedby", "password-error");
    }
    said.textContent = text;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = locked.dataset.share;
    const password = input.value;
    say(t("Checking…"));
    try {
      const access = await e2e.accessSecret(password, locked.dataset.e2eSalt, Number(locked.dataset.e2eIterations));
      const response = await fetch(`/s/${id}/unlock`, { method: "POST", body: new URLSearchParams({ password: access }) });
      if (response.status === 429) return say(t("Too many attempts. Wait a minute, then try again."));
      if (!response.ok || !response.redirected) return say(t("That password is not right. Try again."));
      const page = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("e2e");
      if (!page || !page.dataset.wrapWrapped) return say(t("This share could not be opened."));
      const wrap = { salt: page.dataset.wrapSalt, iterations: Number(page.dataset.wrapIterations), nonce: page.dataset.wrapNonce, wrapped: page.dataset.wrapWrapped };
      const raw = await e2e.unwrapKey(wrap, password);
      sessionStorage.setItem(keyName(id), e2e.b64url(raw)); // this tab only, for the page it reloads into
      location.reload();
    } catch (error) {
      say(plainWords(error));
    }
  });
}

async function fetchSealed(id, number) {
  const response = await fetchCounted(`/s/${id}/${number}/raw?download=1`);
  const length = Number(response.headers.get("Content-Length") || 0);
  if (length > MEMORY_LIMIT) throw new Error(t("This file is {size}; this page decrypts files up to {limit}. Use dropgate download with the link.", { size: humanSize(length), limit: humanSize(MEMORY_LIMIT) }));
  return new Uint8Array(await response.arrayBuffer());
}

async function show(page) {
  const id = page.dataset.share;
  const count = Number(page.dataset.files);
  const raw = e2e.keyFromFragment(location.hash) || e2e.fromB64url(sessionStorage.getItem(keyName(id)) || "!");
  if (!raw || raw.length !== 32) {
    status(page.dataset.wrapWrapped
      ? t("Encrypted share. Enter its password again to open it.")
      : t("Encrypted share. Its key is not in this link: open the whole link you were given, with the part after the #."));
    return;
  }
  const key = await e2e.importKey(raw);
  status(t("Decrypting the list of files…"));
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await e2e.open(key, await fetchSealed(id, 1))));
  } catch (error) {
    status(plainWords(error instanceof SyntaxError ? new Error(t("The share's list of files is not readable.")) : error));
    return;
  }
  const files = Array.isArray(manifest.files) ? manifest.files : [];
  if (manifest.v !== 1 || files.length !== count - 1 || files.some((f) => typeof f.name !== "string" || typeof f.size !== "number")) {
    status(t("The share's list of files is not readable."));
    return;
  }
  document.getElementById("title").textContent = files.length === 1 ? files[0].name : t("{count} files", { count: files.length });
  status(files.length === 1
    ? t("1 file, decrypted in this browser. The server cannot read it.")
    : t("{count} files, decrypted in this browser. The server cannot read them.", { count: files.length }));
  const list = document.getElementById("e2e-files");
  const limited = page.dataset.limit !== undefined;
  // Folders come from the sealed manifest, which the gateway never read: checked here before anything uses them.
  let paths;
  try { paths = archivePaths(files.map((file) => ({ folder: typeof file.folder === "string" ? file.folder : "", name: file.name }))); } catch (error) {
    status(t("The share's list of files names a folder that cannot be used: {reason}", { reason: error.message }));
    return;
  }
  files.forEach((file, index) => list.appendChild(fileItem(id, key, file, index + 2, limited, paths[index], files.length > 1)));
  if (files.length > 1) list.before(zipButton(id, key, files, paths));
}

// "Download all as a ZIP": each file fetched, decrypted record by record and written into the archive as it arrives;
// the key and the plaintext never leave the page.
function zipButton(id, key, files, paths) {
  const row = document.createElement("p");
  const button = document.createElement("button");
  button.type = "button";
  button.id = "download-all";
  button.textContent = t("Download all {count} files as a ZIP", { count: files.length });
  const said = document.createElement("span");
  said.id = "download-all-status";
  said.className = "hint";
  said.setAttribute("role", "status");
  const say = (text) => { said.textContent = text; };
  button.addEventListener("click", async () => {
    button.disabled = true;
    say(t("Preparing the ZIP…"));
    const entries = files.map((file, index) => ({
      path: paths[index], size: file.size,
      open: async () => e2e.openChunks(key, chunksOf((await fetchCounted(`/s/${id}/${index + 2}/raw?download=1`)).body)),
    }));
    try {
      if (!(await saveZip(`dropgate-${id}.zip`, entries, say))) say(t("This browser cannot save a ZIP made here: save each file instead."));
    } catch (error) { say(t("The ZIP was not finished: {reason}", { reason: plainWords(error) })); } finally { button.disabled = false; }
  });
  row.append(button, " ", said);
  return row;
}

function fileItem(id, key, file, number, limited, path, gallery) {
  const item = document.createElement("li");
  item.className = "file";
  const name = document.createElement("h2");
  name.className = "file-name";
  name.textContent = file.name;
  const facts = document.createElement("p");
  facts.className = "hint";
  const folder = path.includes("/") ? `${t("in {folder}", { folder: path.slice(0, path.lastIndexOf("/")) })} · ` : "";
  facts.textContent = `${folder}${humanSize(file.size)} · ${String(file.type || t("unknown type"))}`;
  const preview = document.createElement("div");
  preview.className = "preview";
  const said = document.createElement("p");
  said.className = "file-status";
  said.setAttribute("role", "status");
  let decrypted = null; // fetched (and counted) once, then kept
  const plain = async () => {
    if (!decrypted) {
      said.textContent = t("Decrypting…");
      const bytes = await e2e.open(key, await fetchSealed(id, number));
      if (bytes.length !== file.size) throw new e2e.SealedError("tampered", "sizes differ");
      decrypted = new Blob([bytes], { type: shownAs(file.type) ? file.type : "application/octet-stream" });
      said.textContent = "";
    }
    return decrypted;
  };
  const kind = shownAs(file.type);
  const showIt = async () => {
    try {
      const url = URL.createObjectURL(await plain());
      let element;
      if (kind === "img") { element = document.createElement("img"); element.alt = file.name; }
      else if (kind === "video" || kind === "audio") { element = document.createElement(kind); element.controls = true; }
      else { element = document.createElement("iframe"); element.title = file.name; if (kind === "text") element.setAttribute("sandbox", ""); }
      element.className = "decrypted";
      element.src = url;
      preview.replaceChildren(element);
    } catch (error) { said.textContent = plainWords(error); item.classList.add("failed"); }
  };
  const save = document.createElement("button");
  save.type = "button";
  save.textContent = t("Save {name}", { name: file.name });
  save.addEventListener("click", async () => {
    try {
      saveBlob(await plain(), file.name);
    } catch (error) { said.textContent = plainWords(error); item.classList.add("failed"); }
  });
  const actions = document.createElement("p");
  actions.className = "actions";
  if (kind) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = t("Show {name}", { name: file.name });
    button.addEventListener("click", showIt);
    actions.append(button, " ");
  }
  actions.append(save);
  item.append(name, facts, preview, actions, said);
  // A file is shown at once when that spends nothing: no download limit, and small enough. In a collection (a gallery)
  // or where the file is not shown at once, its sealed thumbnail takes its place (fetching it spends nothing).
  const shownAtOnce = kind && !limited && file.size <= 20 * 1000 * 1000;
  const thumbnails = (document.getElementById("e2e")?.dataset.thumbnails ?? "").split(" ");
  if ((gallery || !shownAtOnce) && thumbnails.includes(String(number))) {
    showThumbnail(id, key, file, number, preview).catch(() => { if (shownAtOnce) showIt(); });
  } else if (shownAtOnce) showIt();
  return item;
}

// Decrypts file `number`'s thumbnail (a sealed WebP or JPEG of at most 64 KiB) and shows it; the picture's type is read
// from its decrypted bytes, and anything else is refused.
async function showThumbnail(id, key, file, number, preview) {
  const response = await fetch(`/s/${id}/${number}/thumb`);
  if (!response.ok) throw new Error(`thumbnail ${response.status}`);
  const sealed = new Uint8Array(await response.arrayBuffer());
  if (sealed.length > 65 * 1024) throw new Error("thumbnail too large");
  const bytes = await e2e.open(key, sealed);
  const riff = (at, text) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
  const type = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff ? "image/jpeg" : riff(0, "RIFF") && riff(8, "WEBP") ? "image/webp" : null;
  if (!type) throw new Error("not a thumbnail");
  const image = document.createElement("img");
  image.className = "decrypted thumbnail";
  image.alt = t("Thumbnail of {name}", { name: file.name });
  image.src = URL.createObjectURL(new Blob([bytes], { type }));
  preview.replaceChildren(image);
}

const locked = document.getElementById("locked");
if (locked && locked.dataset.e2eSalt) unlock(locked);
const page = document.getElementById("e2e");
if (page) show(page).catch((error) => status(plainWords(error)));
