// "Your shares" on the upload page: what this browser uploaded, with the delete tokens that revoke them, kept in
// localStorage until each share expires.
import { button } from "/static/upload-kit.js";
import { language, t } from "/static/i18n.js";

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

export function remember(title, result) {
  const entries = loadMine().filter((entry) => entry.id !== result.share.id);
  entries.unshift({ id: result.share.id, url: result.share.url, filename: title, deleteToken: result.deleteToken, expiresAt: result.expiresAt });
  saveMine(entries.slice(0, 200));
  showMine();
}

async function revoke(entry, control, status) {
  control.disabled = true;
  const response = await fetch(`/api/shares/${encodeURIComponent(entry.id)}`, {
    method: "DELETE", headers: { Authorization: `Bearer ${entry.deleteToken}` },
  }).catch(() => null);
  if (response && (response.status === 204 || response.status === 404)) {
    saveMine(loadMine().filter((kept) => kept.id !== entry.id));
    status.textContent = t("Revoked: {name} can no longer be opened.", { name: entry.filename });
    showMine();
  } else {
    control.disabled = false;
    const answer = response ? await response.json().catch(() => ({})) : {};
    status.textContent = answer.error ? answer.error.message : t("The share could not be revoked; try again.");
  }
}

function showMine() {
  const section = document.getElementById("mine");
  const target = document.getElementById("mine-list");
  const entries = loadMine();
  target.replaceChildren();
  const said = document.getElementById("mine-status");
  // A file request's page is about someone else's request: this browser's own shares stay on the upload page.
  section.hidden = section.dataset.never === "true" || (entries.length === 0 && !(said && said.textContent));
  for (const entry of entries) {
    const item = document.createElement("li");
    item.className = "mine-item";
    const link = document.createElement("a");
    link.href = entry.url;
    link.className = "mine-link";
    link.textContent = entry.filename;
    const expires = document.createElement("span");
    expires.className = "hint";
    expires.textContent = ` ${t("until {date}", { date: new Date(entry.expiresAt).toLocaleDateString(language()) })}`;
    const control = button(t("Revoke"), t("Revoke the share of {name}", { name: entry.filename }), () => revoke(entry, control, document.getElementById("mine-status")));
    control.className = "revoke";
    item.append(link, expires, " ", control);
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
