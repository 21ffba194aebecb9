// The signed-in user's page: their shares on every device (revoke, copy, QR), their personal tokens, and signing out
// everywhere. Everything is drawn with text nodes.
import { showAccount } from "/static/account.js";
import { startRequests } from "/static/me-requests.js";
import { startMailNotices, startWebhooks } from "/static/me-webhooks.js";
import { button, humanSize } from "/static/upload-kit.js";
import { language, t } from "/static/i18n.js";

let csrf = null;
let nextPage = 0;

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (csrf) headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ? answer.error.message : t("The gateway answered {status}.", { status: response.status }));
  return answer;
}

function say(text) { document.getElementById("me-status").textContent = text; }

const sizeWords = humanSize;
const day = (moment) => new Date(moment).toLocaleDateString(language());

function shareRow(share) {
  const item = document.createElement("li");
  item.className = "mine-item";
  const link = document.createElement("a");
  link.href = share.url;
  link.className = "mine-link";
  link.textContent = share.title;
  const facts = document.createElement("span");
  facts.className = "hint";
  const downloads = share.maxDownloads
    ? t("{count} of {limit} downloads", { count: share.downloads, limit: share.maxDownloads })
    : t("{count} downloads", { count: share.downloads });
  const state = share.unavailable ? ` · ${t(share.unavailable)}` : ` · ${t("until {date}", { date: day(share.expiresAt) })}`;
  const made = ` · ${t("made {date}", { date: day(share.createdAt) })}`;
  facts.textContent = ` ${sizeWords(share.size)} · ${downloads}${share.password ? ` · ${t("password")}` : ""}${share.encrypted ? ` · ${t("encrypted")}` : ""}${made}${state}`;
  const copy = button(t("Copy link"), t("Copy the link of {title}", { title: share.title }), async () => {
    await navigator.clipboard.writeText(share.url).then(() => say(t("Copied the link of {title}.", { title: share.title })), () => say(share.url));
  });
  const qr = document.createElement("a");
  qr.href = `/s/${encodeURIComponent(share.id)}/qr.svg`;
  qr.textContent = t("QR code");
  qr.setAttribute("aria-label", t("QR code of {title}", { title: share.title }));
  const revoke = button(t("Revoke"), t("Revoke the share of {name}", { name: share.title }), async () => {
    revoke.disabled = true;
    try {
      await call("DELETE", `/api/shares/${encodeURIComponent(share.id)}`);
      item.remove();
      say(t("Revoked: {name} can no longer be opened.", { name: share.title }));
    } catch (error) { revoke.disabled = false; say(error.message); }
  });
  item.append(link, facts, " ", copy, " ", qr, " ", revoke);
  if (!share.unavailable && !share.encrypted) {
    const add = document.createElement("a");
    add.href = `/?addTo=${encodeURIComponent(share.id)}`;
    add.textContent = t("Add files");
    add.setAttribute("aria-label", t("Add files to {title}", { title: share.title }));
    item.append(" ", add);
  }
  if (!share.unavailable) item.appendChild(editor(share, item));
  item.appendChild(logView(share));
  return item;
}

// "Downloads": the share's log, read when opened: each day's downloads and distinct visitors, the last downloads,
// and the whole log as CSV. No address is in it (see the README).
function logView(share) {
  const box = document.createElement("details");
  box.className = "share-log";
  const summary = document.createElement("summary");
  summary.textContent = t("Downloads");
  summary.setAttribute("aria-label", t("Downloads of {title}", { title: share.title }));
  const body = document.createElement("div");
  box.append(summary, body);
  box.addEventListener("toggle", async () => {
    if (!box.open) return;
    try {
      const log = await call("GET", `/api/shares/${encodeURIComponent(share.id)}/log`);
      const days = document.createElement("ul");
      for (const day of log.days) {
        const line = document.createElement("li");
        const counts = { day: day.day, downloads: day.downloads, visitors: day.visitors };
        line.textContent = day.downloads === 1
          ? (day.visitors === 1 ? t("{day}: 1 download by 1 visitor", counts) : t("{day}: 1 download by {visitors} visitors", counts))
          : (day.visitors === 1 ? t("{day}: {downloads} downloads by 1 visitor", counts) : t("{day}: {downloads} downloads by {visitors} visitors", counts));
        days.append(line);
      }
      const last = document.createElement("ul");
      for (const entry of log.entries.slice(-10).reverse()) {
        const line = document.createElement("li");
        const done = entry.completed === true ? `, ${t("every byte sent")}` : entry.completed === false ? `, ${t("not finished")}` : "";
        line.textContent = `${new Date(entry.at).toLocaleString(language())} · ${entry.fileName || t("file {n}", { n: entry.file })} · ${entry.agent} · ${entry.receipt.replace("_", " ")}${done}`;
        last.append(line);
      }
      const csv = document.createElement("a");
      csv.href = `/api/shares/${encodeURIComponent(share.id)}/log?format=csv`;
      csv.textContent = t("Download log");
      csv.setAttribute("aria-label", t("Download log of {title} (CSV)", { title: share.title }));
      const none = document.createElement("p");
      none.textContent = t("No downloads yet.");
      body.replaceChildren(...(log.entries.length ? [days, last] : [none]), csv);
    } catch (error) { body.textContent = error.message; }
  });
  return box;
}

let editors = 0;
// Whether the gateway sends mail: then each share may choose its own notices.
const mailOn = fetch("/api/limits").then((response) => response.json()).then((limits) => Boolean(limits.mail)).catch(() => false);
const shareNoticeChoices = [
  [t("Keep as it is"), undefined],
  [t("As for all my shares"), null],
  [t("Download, limit, expiry"), ["share.downloaded", "share.download_limit_reached", "share.expiring"]],
  [t("Never"), []],
];

// "Change": a new expiry, download limit or password for a live share, bounded by the gateway as at creation.
function editor(share, item) {
  editors += 1;
  const box = document.createElement("details");
  box.className = "share-edit";
  const summary = document.createElement("summary");
  summary.textContent = t("Change");
  summary.setAttribute("aria-label", t("Change the share of {title}", { title: share.title }));
  const form = document.createElement("form");
  const field = (label, control) => {
    // Each form's controls have names and ids of their own: one share's checkbox is not grouped with another's.
    control.name = `${control.name}-${editors}`;
    control.id = control.name;
    const tag = document.createElement("label");
    tag.htmlFor = control.id;
    tag.textContent = label;
    return [tag, control];
  };
  const expiry = document.createElement("select");
  expiry.name = "expires";
  for (const [text, seconds] of [[t("Keep the expiry"), ""], [t("1 day from now"), 86400], [t("7 days from now"), 604800], [t("30 days from now"), 2592000]]) {
    const option = document.createElement("option");
    option.value = String(seconds);
    option.textContent = text;
    expiry.appendChild(option);
  }
  const limit = document.createElement("input");
  limit.name = "limit";
  limit.type = "number";
  limit.min = "1";
  limit.placeholder = share.maxDownloads ? String(share.maxDownloads) : t("unlimited");
  const password = document.createElement("input");
  password.name = "password";
  password.type = "password";
  password.autocomplete = "new-password";
  const clear = document.createElement("input");
  clear.name = "clear";
  clear.type = "checkbox";
  // A plain share's files, each with a box to take it out (an encrypted share's are listed in its sealed manifest).
  const removals = [];
  const files = document.createElement("fieldset");
  if (!share.encrypted && share.fileNames && share.fileNames.length > 1) {
    const legend = document.createElement("legend");
    legend.textContent = t("Take out");
    files.append(legend);
    share.fileNames.forEach((name, index) => {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = `remove-${index + 1}`;
      removals.push([box, index + 1]);
      const [tag, control] = field(name, box);
      files.append(control, tag);
    });
  }
  const save = document.createElement("button");
  save.type = "submit";
  save.textContent = t("Save");
  form.className = "options";
  form.append(...field(t("Expiry"), expiry), ...field(t("Download limit"), limit), ...field(t("New password"), password),
    ...field(t("Remove the password"), clear));
  if (removals.length > 0) form.append(files);
  const notices = document.createElement("select");
  notices.name = "notices";
  shareNoticeChoices.forEach(([text], index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = text;
    notices.appendChild(option);
  });
  form.append(save);
  // Named now (ids are counted per editor); shown once the gateway says it sends mail.
  const noticeField = field(t("Mail me about this share"), notices);
  mailOn.then((on) => { if (on) save.before(...noticeField); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const change = {};
    if (expiry.value) change.expiresIn = Number(expiry.value);
    if (limit.value) change.maxDownloads = Number(limit.value);
    if (password.value) change.password = password.value;
    if (clear.checked) change.clearPassword = true;
    const removed = removals.filter(([box]) => box.checked).map(([, number]) => number);
    if (removed.length > 0) change.removeFiles = removed;
    try {
      if (notices.value !== "0") {
        await call("PUT", `/api/shares/${encodeURIComponent(share.id)}/notices`, { mail: shareNoticeChoices[Number(notices.value)][1] });
      }
      const edited = Object.keys(change).length > 0 || notices.value === "0"
        ? await call("PATCH", `/api/shares/${encodeURIComponent(share.id)}`, change) : share;
      item.replaceWith(shareRow(edited));
      say(t("Changed: {title}.", { title: edited.title }));
    } catch (error) { say(error.message); }
  });
  box.append(summary, form);
  return box;
}

async function showShares() {
  const page = await call("GET", `/api/me/shares?page=${nextPage}`);
  const list = document.getElementById("me-shares");
  for (const share of page.shares) list.appendChild(shareRow(share));
  if (nextPage === 0 && page.total === 0) say(t("You have no shares yet."));
  nextPage = page.nextPage;
  document.getElementById("me-more").hidden = page.nextPage == null;
}

function tokenRow(token) {
  const item = document.createElement("li");
  item.className = "mine-item";
  const name = document.createElement("span");
  name.className = "mine-link";
  name.textContent = token.name;
  const facts = document.createElement("span");
  facts.className = "hint";
  const until = token.expiresAt ? ` · ${t("until {date}", { date: day(token.expiresAt) })}` : "";
  facts.textContent = ` ${token.scopes.join(", ")} · ${t("made {date}", { date: day(token.createdAt) })}${until}`;
  const revoke = button(t("Revoke"), t("Revoke the token {name}", { name: token.name }), async () => {
    try { await call("DELETE", `/api/me/tokens/${encodeURIComponent(token.id)}`); item.remove(); } catch (error) { say(error.message); }
  });
  item.append(name, facts, " ", revoke);
  return item;
}

async function showTokens() {
  const list = document.getElementById("me-tokens");
  list.replaceChildren(...(await call("GET", "/api/me/tokens")).tokens.map(tokenRow));
}

async function start() {
  const me = await showAccount();
  if (!me.signedIn) { window.location.assign(me.signIn ? `${me.signIn}?return=/me` : "/"); return; }
  csrf = me.csrfToken;
  document.getElementById("scope-admin-label").hidden = !me.admin;
  document.getElementById("me-lead").textContent = t("Everything {name} shared while signed in, on every device.", { name: me.name });
  document.getElementById("me-more").addEventListener("click", () => showShares().catch((error) => say(error.message)));
  document.getElementById("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const scopes = [];
    if (document.getElementById("scope-upload").checked) scopes.push("upload");
    if (document.getElementById("scope-shares").checked) scopes.push("shares");
    if (me.admin && document.getElementById("scope-admin").checked) scopes.push("admin");
    try {
      const made = await call("POST", "/api/me/tokens", { name: document.getElementById("token-name").value, scopes });
      document.getElementById("token-new").textContent = t("Your new token (shown once): {token}", { token: made.token });
      await showTokens();
    } catch (error) { document.getElementById("token-new").textContent = error.message; }
  });
  document.getElementById("everywhere").addEventListener("click", async () => {
    try { await call("POST", "/auth/logout-everywhere"); window.location.assign("/"); } catch (error) { say(error.message); }
  });
  await Promise.all([showShares(), showTokens(), startRequests(call, say), startWebhooks(call, say), startMailNotices(call, say)]);
}

start().catch((error) => say(error.message));
