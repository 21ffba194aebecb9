// The admin's page: every account, what it keeps, and disabling or enabling it; every share, and revoking it.
// Drawn with text nodes.
import { showAccount } from "/static/account.js";
import { button } from "/static/upload-kit.js";
import { language, t } from "/static/i18n.js";

let csrf = null;
let after = "";
let afterShare = "";

function say(text) { document.getElementById("admin-status").textContent = text; }

async function call(method, path, body) {
  const headers = { Accept: "application/json", "X-CSRF-Token": csrf };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ? answer.error.message : t("The gateway answered {status}.", { status: response.status }));
  return answer;
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function row(user) {
  const tr = document.createElement("tr");
  const state = cell(user.disabled ? "disabled" : "active");
  const action = document.createElement("td");
  const toggle = button(user.disabled ? t("Enable") : t("Disable"), user.disabled ? t("Enable {name}", { name: user.name }) : t("Disable {name}", { name: user.name }), async () => {
    try {
      await call("POST", `/api/admin/users/${encodeURIComponent(user.id)}/${user.disabled ? "enable" : "disable"}`);
      user.disabled = !user.disabled;
      tr.replaceWith(row(user));
      say(user.disabled
        ? t("{name} is disabled: their sessions and tokens stopped.", { name: user.name })
        : t("{name} is enabled again.", { name: user.name }));
    } catch (error) { say(error.message); }
  });
  action.appendChild(toggle);
  const name = cell(user.name);
  if (user.email) name.title = user.email;
  tr.append(name, cell(String(user.shares)), cell(`${(user.bytes / 1e6).toFixed(1)} MB`), state, action);
  return tr;
}

async function more() {
  const page = await call("GET", `/api/admin/users${after ? `?after=${encodeURIComponent(after)}` : ""}`);
  const body = document.querySelector("#admin-users tbody");
  for (const user of page.users) body.appendChild(row(user));
  after = page.next || "";
  document.getElementById("admin-more").hidden = !page.next;
}

function shareRow(entry) {
  const share = entry.share;
  const tr = document.createElement("tr");
  const link = document.createElement("a");
  link.href = share.url;
  link.textContent = share.title;
  const title = document.createElement("td");
  title.appendChild(link);
  const action = document.createElement("td");
  if (!share.unavailable) {
    action.appendChild(button(t("Revoke"), t("Revoke {title}", { title: share.title }), async () => {
      try {
        await call("DELETE", `/api/shares/${encodeURIComponent(share.id)}`);
        share.unavailable = t("Revoked.");
        tr.replaceWith(shareRow(entry));
        say(t("{title} is revoked.", { title: share.title }));
      } catch (error) { say(error.message); }
    }));
  }
  const downloads = share.maxDownloads ? t("{count} of {limit}", { count: share.downloads, limit: share.maxDownloads }) : String(share.downloads);
  tr.append(title, cell(entry.ownerName || (entry.owner ? t("an upload token") : t("anonymous"))), cell(`${(share.size / 1e6).toFixed(1)} MB`),
    cell(downloads), cell(new Date(share.expiresAt).toLocaleString(language())), cell(share.unavailable ? t(share.unavailable) : t("live")), action);
  return tr;
}

async function moreShares() {
  const page = await call("GET", `/api/admin/shares${afterShare ? `?after=${encodeURIComponent(afterShare)}` : ""}`);
  const body = document.querySelector("#admin-shares tbody");
  for (const entry of page.shares) body.appendChild(shareRow(entry));
  afterShare = page.next || "";
  document.getElementById("admin-more-shares").hidden = !page.next;
}

async function start() {
  const me = await showAccount();
  if (!me.signedIn) { window.location.assign(me.signIn ? `${me.signIn}?return=/admin` : "/"); return; }
  if (!me.admin) { say(t("Only admins may see this page.")); return; }
  csrf = me.csrfToken;
  document.getElementById("admin-more").addEventListener("click", () => more().catch((error) => say(error.message)));
  document.getElementById("admin-more-shares").addEventListener("click", () => moreShares().catch((error) => say(error.message)));
  await more();
  await moreShares();
}

start().catch((error) => say(error.message));
