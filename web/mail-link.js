// "Send by mail" under a new share: the link (never the file) to a few addresses, with a message, sent by the
// gateway with the share's delete token. Shown only where the gateway sends mail, and never for an encrypted share
// (its key never reaches the gateway, so a mailed link would not open).
import { t } from "/static/i18n.js";

let counter = 0;

export function mailForm(shareID, deleteToken) {
  counter += 1;
  const form = document.createElement("form");
  form.className = "options mail-link";
  const to = document.createElement("input");
  to.id = `mail-to-${counter}`;
  to.type = "text";
  to.autocomplete = "email";
  to.placeholder = "ada@example.org, grace@example.org";
  const toLabel = document.createElement("label");
  toLabel.htmlFor = to.id;
  toLabel.textContent = t("Send the link by mail to");
  const message = document.createElement("textarea");
  message.id = `mail-message-${counter}`;
  message.maxLength = 2000;
  message.rows = 2;
  const messageLabel = document.createElement("label");
  messageLabel.htmlFor = message.id;
  messageLabel.textContent = t("Message (optional)");
  const send = document.createElement("button");
  send.type = "submit";
  send.textContent = t("Send");
  const said = document.createElement("p");
  said.className = "hint";
  said.setAttribute("role", "status");
  form.append(toLabel, to, messageLabel, message, send, said);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { to: to.value.split(",").map((each) => each.trim()).filter(Boolean) };
    if (message.value.trim()) body.message = message.value;
    const response = await fetch(`/api/shares/${encodeURIComponent(shareID)}/mail`, {
      method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${deleteToken}` }, body: JSON.stringify(body),
    }).catch(() => null);
    const answer = response ? await response.json().catch(() => ({})) : {};
    if (response && response.ok) {
      said.textContent = t("The link is on its way to {to}.", { to: body.to.join(", ") });
      to.value = "";
      message.value = "";
    } else {
      said.textContent = answer.error ? answer.error.message : t("The mail could not be sent: the gateway could not be reached.");
    }
  });
  return form;
}
