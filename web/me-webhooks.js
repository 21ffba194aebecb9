// /me's webhooks: register an endpoint (its secret is shown once), see each one's last deliveries, enable one that
// was disabled, delete one. Text nodes only: a URL or an error is never markup.
import { button, text } from "/static/upload-kit.js";
import { language, t } from "/static/i18n.js";


function webhookRow(call, say, hook) {
  const item = document.createElement("li");
  item.className = "mine-item";
  const events = hook.events.length ? hook.events.join(", ") : t("every event");
  item.append(text("span", hook.url, "mine-link"), text("span", ` · ${events}`, "hint"));
  if (hook.disabled) {
    item.append(text("p", hook.disabled, "hint"));
    item.append(button(t("Enable"), t("Enable the webhook {url}", { url: hook.url }), async () => {
      try { await call("POST", `/api/me/webhooks/${encodeURIComponent(hook.id)}/enable`); say(t("Enabled: {url} gets events again.", { url: hook.url })); await showWebhooks(call, say); } catch (error) { say(error.message); }
    }), " ");
  }
  item.append(button(t("Delete"), t("Delete the webhook {url}", { url: hook.url }), async () => {
    try { await call("DELETE", `/api/me/webhooks/${encodeURIComponent(hook.id)}`); say(t("Deleted the webhook {url}.", { url: hook.url })); await showWebhooks(call, say); } catch (error) { say(error.message); }
  }));
  if (hook.deliveries.length > 0) {
    const log = document.createElement("ul");
    log.className = "request-files";
    for (const delivery of hook.deliveries) {
      const outcome = delivery.error ? t(delivery.error) : t("answered {status}", { status: delivery.status });
      log.append(text("li", `${new Date(delivery.at).toLocaleString(language())} · ${delivery.type} · ${t("attempt {n}", { n: delivery.attempt })}: ${outcome}`));
    }
    item.append(log);
  }
  return item;
}

export async function showWebhooks(call, say) {
  const listed = await call("GET", "/api/me/webhooks");
  const choices = document.getElementById("webhook-events");
  if (!choices.querySelector("input")) {
    for (const name of listed.events) {
      const id = `webhook-event-${name.replace(/[^a-z_]/g, "-")}`;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.value = name;
      const label = text("label", name);
      label.htmlFor = id;
      const pair = document.createElement("span");
      pair.className = "check";
      pair.append(box, label);
      choices.append(pair);
    }
  }
  document.getElementById("me-webhooks").replaceChildren(...listed.webhooks.map((hook) => webhookRow(call, say, hook)));
}

export function startWebhooks(call, say) {
  document.getElementById("webhook-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const events = [...document.querySelectorAll("#webhook-events input:checked")].map((box) => box.value);
    try {
      const made = await call("POST", "/api/me/webhooks", { url: document.getElementById("webhook-url").value, events });
      document.getElementById("webhook-new").textContent = t("Its signing secret (shown once): {secret}", { secret: made.secret });
      document.getElementById("webhook-url").value = "";
      await showWebhooks(call, say);
    } catch (error) { document.getElementById("webhook-new").textContent = error.message; }
  });
  return showWebhooks(call, say);
}

// "Mail me when": the events that mail the user, shown only where the gateway sends mail.
export async function startMailNotices(call, say) {
  const settings = await call("GET", "/api/me/notices");
  const section = document.getElementById("mail-notices");
  if (!settings.mailEnabled) return;
  section.hidden = false;
  const words = {
    "request.submitted": "a file request of mine gets files",
    "share.downloaded": "a share of mine is downloaded for the first time",
    "share.download_limit_reached": "a share of mine reaches its download limit",
    "share.expiring": "a share of mine expires tomorrow",
  };
  const boxes = document.getElementById("mail-events");
  for (const name of settings.mailable) {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `mail-event-${name.replace(/[^a-z_]/g, "-")}`;
    box.value = name;
    box.checked = settings.mail.includes(name);
    const label = text("label", words[name] || name);
    label.htmlFor = box.id;
    const pair = document.createElement("span");
    pair.className = "check";
    pair.append(box, label);
    boxes.append(pair);
  }
  document.getElementById("mail-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const mail = [...boxes.querySelectorAll("input:checked")].map((box) => box.value);
    try { await call("PUT", "/api/me/notices", { mail }); say(mail.length ? t("Saved: you will get mail when those happen.") : t("Saved: no notices by mail.")); } catch (error) { say(error.message); }
  });
}
