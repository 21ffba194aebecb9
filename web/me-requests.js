// /me's file requests: make one, see what senders handed over (download each file), close one. Text nodes only.
import { button, humanSize, text } from "/static/upload-kit.js";
import { language, t } from "/static/i18n.js";
import * as sealed from "/static/request-owner.js";


// One request: its link, what is left or why it is closed, Close, and its submissions with their files.
async function requestRow(call, say, request) {
  const item = document.createElement("li");
  item.className = "mine-item";
  const link = document.createElement("a");
  link.href = sealed.senderLink(request);
  link.className = "mine-link";
  link.textContent = request.title;
  const left = { count: request.filesLeft, size: humanSize(request.bytesLeft), date: new Date(request.expiresAt).toLocaleDateString(language()) };
  const state = ` · ${request.closed ? t("closed: {reason}", { reason: t(request.closed) }) : t("{count} files, {size} left · until {date}", left)}`;
  item.append(link, text("span", state, "hint"));
  if (!request.closed) {
    item.append(" ", button(t("Close"), t("Close the request {title}", { title: request.title }), async () => {
      try { await call("POST", `/api/requests/${encodeURIComponent(request.id)}/close`); say(t("Closed: {title} takes no more files.", { title: request.title })); await showRequests(call, say); } catch (error) { say(t(error.message)); }
    }));
  }
  const detail = await call("GET", `/api/requests/${encodeURIComponent(request.id)}/submissions`);
  if (request.publicKey) item.append(await encryptedState(call, say, request, detail));
  const files = document.createElement("ul");
  files.className = "request-files";
  const downloads = [];
  for (const submission of detail.submissions) {
    const who = [submission.name, submission.email].filter(Boolean).join(", ") || t("someone");
    const when = new Date(submission.at).toLocaleString(language());
    const sent = { count: submission.files.length, who, when };
    const remove = text("li", `${submission.files.length === 1 ? t("1 file from {who}, {when}", sent) : t("{count} files from {who}, {when}", sent)} `);
    remove.append(button(t("Delete"), t("Delete the files {who} sent on {when}", sent), async () => {
      try {
        await call("DELETE", `/api/requests/${encodeURIComponent(request.id)}/submissions/${encodeURIComponent(submission.id)}`);
        say(t("Deleted the files {who} sent.", { who }));
        await showRequests(call, say);
      } catch (error) { say(t(error.message)); }
    }));
    files.append(remove);
    let opened = null;
    if (request.publicKey && sealed.isOpen(request)) {
      try { opened = await sealed.contents(request, submission); } catch (error) { files.append(text("li", `${who}, ${when}: ${t(error.message)}`)); continue; }
    }
    submission.files.forEach((file, index) => {
      const shown = opened ? opened.files[index] : file;
      const row = text("li", `${t("{name} ({size}) from {who}, {when}", { name: shown.name, size: humanSize(shown.size), who, when })} `);
      if (request.publicKey && !opened) { files.append(row); return; } // named and downloadable once opened
      const fetchIt = opened
        ? () => sealed.save(call, opened.key, file, shown)
        : async () => window.location.assign((await call("GET", file.url)).url);
      downloads.push({ name: shown.name, fetchIt, sealed: Boolean(opened), url: file.url });
      row.append(button(t("Download"), t("Download {name} from {who}", { name: shown.name, who }), async () => {
        try { await fetchIt(); } catch (error) { say(t(error.message)); }
      }));
      files.append(row);
    });
  }
  if (downloads.length > 0) {
    const all = downloads;
    // Each file in turn, a moment apart, straight from the store (the browser may ask once about several downloads).
    item.append(" ", button(t("Download all"), t("Download all {count} files sent to {title}", { count: all.length, title: request.title }), async () => {
      for (const [index, file] of all.entries()) {
        say(t("Downloading {n} of {count}…", { n: index + 1, count: all.length }));
        try {
          if (file.sealed) { await file.fetchIt(); continue; } // decrypted here, one at a time
          const frame = document.createElement("iframe");
          frame.hidden = true;
          frame.title = t("Download of {name}", { name: file.name });
          frame.src = (await call("GET", file.url)).url;
          document.body.append(frame);
          setTimeout(() => frame.remove(), 60000);
        } catch (error) { say(t(error.message)); return; }
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
      say(t("Started {count} downloads.", { count: all.length }));
    }), files);
  }
  return item;
}

// An encrypted request's line: its key's fingerprint, and (until it is opened) the passphrase form that opens it.
async function encryptedState(call, say, request, detail) {
  const state = document.createElement("div");
  state.className = "request-e2e";
  state.append(text("p", t("Encrypted to you. Key fingerprint: {fingerprint}.", { fingerprint: await sealed.fingerprintOf(request) }), "hint"));
  if (sealed.isOpen(request)) return state;
  const form = document.createElement("form");
  form.className = "options";
  const field = document.createElement("input");
  field.type = "password";
  field.id = `request-passphrase-${request.id}`;
  field.autocomplete = "current-password";
  const label = text("label", t("Passphrase for {title}", { title: request.title }));
  label.htmlFor = field.id;
  const open = text("button", t("Open"));
  open.type = "submit";
  form.append(label, field, open);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      say(t("Opening the key…"));
      await sealed.open(request, detail, field.value);
      field.value = "";
      say(t("Opened: the files sent to {title} can be downloaded.", { title: request.title }));
      await showRequests(call, say);
    } catch (error) {
      field.value = "";
      field.focus();
      say(t(error.message));
    }
  });
  state.append(form);
  return state;
}

export async function showRequests(call, say) {
  const list = document.getElementById("me-requests");
  const mine = (await call("GET", "/api/me/requests")).requests;
  list.replaceChildren(...(await Promise.all(mine.map((request) => requestRow(call, say, request)))));
}

export function startRequests(call, say) {
  document.getElementById("request-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = Number(document.getElementById("request-files").value);
    const body = {
      title: document.getElementById("request-title-field").value,
      maxFiles: files,
      maxBytes: Math.round(Number(document.getElementById("request-mb").value) * 1e6),
      expiresIn: Math.round(Number(document.getElementById("request-days").value) * 86400),
    };
    const passphrase = document.getElementById("request-passphrase").value;
    const encrypt = document.getElementById("request-encrypt").checked;
    try {
      let fingerprint = null;
      if (encrypt) {
        if (passphrase.length < 8) throw new Error(t("An encrypted request needs a passphrase of at least 8 characters: it is the only way to open what senders send."));
        say(t("Making the key…"));
        const made = await sealed.makeEncryption(passphrase);
        body.encryption = made.encryption;
        fingerprint = made.fingerprint;
      }
      const made = await call("POST", "/api/requests", body);
      const words = fingerprint ? ` ${t("Encrypted to you; key fingerprint {fingerprint}. Without the passphrase, nobody can open what is sent.", { fingerprint })}` : "";
      say(t("Made: send {link} to whoever should send you files.", { link: sealed.senderLink(made.request) }) + words);
      document.getElementById("request-title-field").value = "";
      document.getElementById("request-passphrase").value = "";
      await showRequests(call, say);
    } catch (error) { say(t(error.message)); }
  });
  return showRequests(call, say);
}
