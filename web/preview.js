// Previews drawn by the page: a CSV file as a table of text (never HTML), bounded in bytes, rows, columns and cell
// length, with "download to see all" past the bounds; a Markdown file drawn from a safe subset (markdown.js); and a
// burn-after-reading text, read only when the visitor asks. One fetch of the file's counted link each.
import { renderMarkdown } from "/static/markdown.js";
import { drawCode } from "/static/highlight.js";
import { WAVEFORM_LIMIT, waveform } from "/static/waveform.js";
import { t } from "/static/i18n.js";
const MAX_BYTES = 1024 * 1024;
const MAX_ROWS = 200;
const MAX_COLUMNS = 50;
const MAX_CELL = 500;

// One counted read of a file's link, at most MAX_BYTES of it; [text, whether there was more]. `gone` is what a 410 says.
async function readSource(source, gone) {
  const response = await fetch(source);
  if (!response.ok) throw new Error(response.status === 410 && gone ? gone : t("The file could not be read ({status}).", { status: response.status }));
  return readBounded(response);
}

// Reads at most MAX_BYTES of the body; [text, whether there was more].
async function readBounded(response) {
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  let more = false;
  while (total < MAX_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  if (total >= MAX_BYTES) { more = true; reader.cancel(); }
  const bytes = new Uint8Array(Math.min(total, MAX_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const room = bytes.length - offset;
    if (room <= 0) break;
    bytes.set(chunk.subarray(0, room), offset);
    offset += Math.min(chunk.length, room);
  }
  return [new TextDecoder().decode(bytes), more];
}

// RFC 4180 fields: quoted fields may hold commas, quotes ("") and line breaks. Stops at MAX_ROWS; [rows, cut].
export function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") { field += "\""; i++; } else if (c === "\"") { quoted = false; } else { field += c; }
    } else if (c === "\"" && field === "") {
      quoted = true;
    } else if (c === ",") {
      row.push(field); field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field); field = ""; rows.push(row); row = [];
      if (rows.length >= MAX_ROWS) return [rows, i + 1 < text.length];
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return [rows, false];
}

function cut(text) { return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text; }

async function csv(box) {
  const name = box.dataset.name;
  try {
    const [text, moreBytes] = await readSource(box.dataset.source);
    const [rows, moreRows] = parseCSV(text);
    const wide = rows.some((row) => row.length > MAX_COLUMNS);
    const table = document.createElement("table");
    table.className = "csv";
    const caption = document.createElement("caption");
    caption.textContent = moreBytes || moreRows || wide
      ? (wide
        ? t("The first {rows} rows of {name} and {columns} columns: download to see all.", { rows: rows.length, name, columns: MAX_COLUMNS })
        : t("The first {rows} rows of {name}: download to see all.", { rows: rows.length, name }))
      : t("{name}: {rows} rows.", { name, rows: rows.length });
    table.append(caption);
    rows.forEach((row, index) => {
      const tr = document.createElement("tr");
      for (const value of row.slice(0, MAX_COLUMNS)) {
        const cell = document.createElement(index === 0 ? "th" : "td");
        if (index === 0) cell.scope = "col";
        cell.textContent = cut(value);
        tr.append(cell);
      }
      table.append(tr);
    });
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", t("Preview of {name}", { name }));
    wrap.append(table);
    box.replaceChildren(wrap);
  } catch (error) {
    const line = document.createElement("p");
    line.className = "no-preview";
    line.textContent = error.message;
    box.replaceChildren(line);
  }
}

for (const box of document.querySelectorAll(".csv-preview")) csv(box);

function say(box, text) {
  const line = document.createElement("p");
  line.className = "no-preview";
  line.textContent = text;
  box.replaceChildren(line);
}

// Draws text into `box`: rendered Markdown, or the text itself in a <pre>; with a note when it was cut.
function draw(box, text, more, markdown) {
  const shown = document.createElement(markdown ? "div" : "pre");
  shown.className = markdown ? "markdown" : "text-shown";
  shown.tabIndex = 0;
  shown.setAttribute("role", "region");
  shown.setAttribute("aria-label", box.dataset.name);
  const cut = markdown ? renderMarkdown(text, shown) : (shown.textContent = text, false);
  const parts = [shown];
  if (more || cut) parts.push(Object.assign(document.createElement("p"), { className: "hint", textContent: "This is the start of the file: download to see all." }));
  box.replaceChildren(...parts);
}

async function markdown(box) {
  try {
    const [text, more] = await readSource(box.dataset.source);
    draw(box, text, more, true);
  } catch (error) { say(box, error.message); }
}

for (const box of document.querySelectorAll(".markdown-preview")) markdown(box);

async function code(box) {
  try {
    const [text, more] = await readSource(box.dataset.source);
    const cut = drawCode(text, box.dataset.family, box, box.dataset.name);
    if (more || cut) box.append(Object.assign(document.createElement("p"), { className: "hint", textContent: "This is the start of the file: download to see all." }));
  } catch (error) { say(box, error.message); }
}

for (const box of document.querySelectorAll(".code-preview")) code(box);

// Audio up to WAVEFORM_LIMIT: read once, played from that copy (so a play is not a second counted read), and drawn.
async function sound(box) {
  const player = box.querySelector("audio");
  try {
    if (Number(box.dataset.size) > WAVEFORM_LIMIT) return;
    const response = await fetch(box.dataset.source);
    if (!response.ok) return;
    const blob = await response.blob();
    player.src = URL.createObjectURL(blob);
    box.prepend(await waveform(await blob.arrayBuffer(), box.dataset.name));
  } catch {
    // No waveform for what the browser cannot decode: the player stays.
  }
}

for (const box of document.querySelectorAll(".audio-preview")) sound(box);

// Burn after reading: nothing is fetched until the visitor asks; the one read is kept in the page (the copy button
// copies it from there), since the link answers 410 after it.
for (const box of document.querySelectorAll(".burn-reveal")) {
  box.querySelector("button.reveal").addEventListener("click", async () => {
    try {
      const [text, more] = await readSource(box.dataset.source, t("This text was already read: its link no longer works."));
      draw(box, text, more, box.dataset.markdown === "1");
      const copy = Object.assign(document.createElement("button"), { type: "button", textContent: "Copy the text" });
      const status = Object.assign(document.createElement("span"), { className: "copy-status" });
      status.setAttribute("role", "status");
      copy.addEventListener("click", async () => {
        try { await navigator.clipboard.writeText(text); status.textContent = t("Copied."); } catch (error) { status.textContent = error.message; }
      });
      const row = document.createElement("p");
      row.append(copy, " ", status);
      box.append(row);
    } catch (error) { say(box, error.message); }
  }, { once: true });
}

// "Copy the text": reads the file when asked (bounded as the table is) and puts it on the clipboard.
for (const copy of document.querySelectorAll("button.copy-text")) {
  copy.addEventListener("click", async () => {
    const status = copy.parentElement.querySelector(".copy-status");
    try {
      const [text, more] = await readSource(copy.dataset.source);
      await navigator.clipboard.writeText(text);
      status.textContent = more ? t("Copied the first 1 MB; download to get all of it.") : t("Copied.");
    } catch (error) { status.textContent = error.message; }
  });
}
