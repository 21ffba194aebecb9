// /me's file requests: make one, see what senders handed over (download each file), close one. Text nodes only.
import { button, humanSize } from "/static/upload-kit.js";

function text(tag, words, className) {
  const element = document.createElement(tag);
  element.textContent = words;
  if (className) element.className = className;
  return element;
}

// One request: its link, what is left or why it is closed, Close, and its submissions with their files.
async function requestRow(call, say, request) {
  const item = document.createElement("li");
  item.className = "mine-item";
  const link = document.createElement("a");
  link.href = request.url;
  link.className = "mine-link";
  link.textContent = request.title;
  const state = request.closed ? ` · closed: ${request.closed}` : ` · ${request.filesLeft} files, ${humanSize(request.bytesLeft)} left · until ${new Date(request.expiresAt).toLocaleDateString()}`;
  item.append(link, text("span", state, "hint"));
  if (!request.closed) {
    item.append(" ", button("Close", `Close the request ${request.title}`, async () => {
      try { await call("POST", `/api/requests/${encodeURIComponent(request.id)}/close`); say(`Closed: ${request.title} takes no more files.`); await showRequests(call, say); } catch (error) { say(error.message); }
    }));
  }
  const detail = await call("GET", `/api/requests/${encodeURIComponent(request.id)}/submissions`);
  const files = document.createElement("ul");
  files.className = "request-files";
  for (const submission of detail.submissions) {
    const who = [submission.name, submission.email].filter(Boolean).join(", ") || "someone";
    const when = new Date(submission.at).toLocaleString();
    const remove = text("li", `${submission.files.length} file${submission.files.length === 1 ? "" : "s"} from ${who}, ${when} `);
    remove.append(button("Delete", `Delete the files ${who} sent on ${when}`, async () => {
      try {
        await call("DELETE", `/api/requests/${encodeURIComponent(request.id)}/submissions/${encodeURIComponent(submission.id)}`);
        say(`Deleted the files ${who} sent.`);
        await showRequests(call, say);
      } catch (error) { say(error.message); }
    }));
    files.append(remove);
    for (const file of submission.files) {
      const row = text("li", `${file.name} (${humanSize(file.size)}) from ${who}, ${new Date(submission.at).toLocaleString()} `);
      row.append(button("Download", `Download ${file.name} from ${who}`, async () => {
        try { window.location.assign((await call("GET", file.url)).url); } catch (error) { say(error.message); }
      }));
      files.append(row);
    }
  }
  if (detail.submissions.length > 0) {
    const all = detail.submissions.flatMap((submission) => submission.files);
    // Each file in turn, a moment apart, straight from the store (the browser may ask once about several downloads).
    item.append(" ", button("Download all", `Download all ${all.length} files sent to ${request.title}`, async () => {
      for (const [index, file] of all.entries()) {
        say(`Downloading ${index + 1} of ${all.length}…`);
        try {
          const frame = document.createElement("iframe");
          frame.hidden = true;
          frame.title = `Download of ${file.name}`;
          frame.src = (await call("GET", file.url)).url;
          document.body.append(frame);
          setTimeout(() => frame.remove(), 60000);
        } catch (error) { say(error.message); return; }
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
      say(`Started ${all.length} downloads.`);
    }), files);
  }
  return item;
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
    try {
      const made = await call("POST", "/api/requests", body);
      say(`Made: send ${made.request.url} to whoever should send you files.`);
      document.getElementById("request-title-field").value = "";
      await showRequests(call, say);
    } catch (error) { say(error.message); }
  });
  return showRequests(call, say);
}
