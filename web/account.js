// The page header's account corner: who is signed in (a link to their shares, and to the accounts page for admins)
// with a Sign out button, or a Sign in link when the gateway has a provider. `session` is GET /api/me's answer.
import { t } from "/static/i18n.js";

export let session = null;

export async function showAccount() {
  const place = document.getElementById("account");
  const me = await fetch("/api/me", { headers: { Accept: "application/json" } }).then((r) => r.json()).catch(() => null);
  session = me;
  if (!me || !place) return me;
  if (me.signedIn) {
    const who = document.createElement("a");
    who.href = "/me";
    who.textContent = t("Signed in as {name}", { name: me.name });
    const extra = [];
    if (me.admin) {
      const admin = document.createElement("a");
      admin.href = "/admin";
      admin.textContent = t("Accounts");
      extra.push(admin);
    }
    const out = document.createElement("button");
    out.type = "button";
    out.textContent = t("Sign out");
    out.addEventListener("click", async () => {
      const answer = await fetch("/auth/logout", { method: "POST", headers: { "X-CSRF-Token": me.csrfToken } }).then((r) => r.json()).catch(() => ({ next: "/" }));
      window.location.assign(answer.next || "/");
    });
    place.replaceChildren(who, ...extra, out);
  } else if (me.signIn) {
    const link = document.createElement("a");
    link.href = me.signIn;
    link.textContent = t("Sign in");
    place.replaceChildren(link);
  }
  return me;
}
