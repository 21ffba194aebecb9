// A safe subset of Markdown, drawn as elements and text nodes: never innerHTML, so raw HTML in the source stays
// text, no script runs and no attribute but a checked link's href is ever set. Headings, paragraphs, emphasis, code
// spans and fenced blocks, lists, quotes, rules and links (http, https and mailto only). Images are never loaded:
// `![alt](url)` becomes a link that says it is an image. Every scan is linear, so a hostile file costs its length.
import { t } from "/static/i18n.js";

const MAX_BLOCKS = 5000;
// Elements drawn for one document; past it, the rest of the text is drawn as plain text (a line of a
// million `*a*` would otherwise be a million elements for the browser to lay out).
const MAX_MARKS = 10000;
let marks = 0;
const MAX_DEPTH = 3;
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

const element = (name, text) => {
  marks += 1;
  const made = document.createElement(name);
  if (text !== undefined) made.textContent = text;
  return made;
};

// The link's target: the destination before any title (`[a](https://x "title")`), when it is http, https or mailto.
function safeHref(url) {
  const whole = url.trim();
  const space = whole.search(/\s/);
  const trimmed = space < 0 ? whole : whole.slice(0, space);
  if (!SAFE_LINK.test(trimmed)) return null;
  try {
    const parsed = new URL(trimmed);
    return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
  } catch { return null; }
}

function link(text, url, image) {
  const href = safeHref(url);
  const label = image ? t("Image: {text}", { text: text || url }) : text;
  if (!href) return [document.createTextNode(image ? `[${label}]` : text)];
  const anchor = element("a");
  anchor.href = href;
  anchor.rel = "nofollow noopener noreferrer";
  if (image) anchor.textContent = label; else anchor.append(...inline(text, 1));
  return [anchor];
}

// Inline text. Each delimiter's last search is remembered (from where, and what it found), and a later search that
// the remembered one answers is not made again, so a line of a million unmatched `*` or `[` is read a few times, not
// a million.
function inline(text, depth = 0) {
  const out = [];
  const searched = new Map();
  let plain = "";
  const flush = () => { if (plain) { out.push(document.createTextNode(plain)); plain = ""; } };
  const closer = (delimiter, from) => {
    const last = searched.get(delimiter);
    if (last && last.from <= from && (last.found < 0 || last.found >= from)) return last.found;
    const found = text.indexOf(delimiter, from);
    searched.set(delimiter, { from, found });
    return found;
  };
  for (let i = 0; i < text.length;) {
    if (marks >= MAX_MARKS) { plain += text.slice(i); break; }
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && /[\\`*_[\]()#+\-.!<>]/.test(text[i + 1])) { plain += text[i + 1]; i += 2; continue; }
    if (c === "`") {
      const end = closer("`", i + 1);
      if (end > i) { flush(); out.push(element("code", text.slice(i + 1, end))); i = end + 1; continue; }
    }
    const wordBefore = /[\p{L}\p{N}]/u.test(text[i - 1] ?? ""); // snake_case stays text, as in CommonMark
    if (depth < MAX_DEPTH && (text.startsWith("**", i) || (text.startsWith("__", i) && !wordBefore))) {
      const mark = text.slice(i, i + 2);
      const end = closer(mark, i + 2);
      if (end > i + 2) { flush(); const strong = element("strong"); strong.append(...inline(text.slice(i + 2, end), depth + 1)); out.push(strong); i = end + 2; continue; }
    }
    if (depth < MAX_DEPTH && (c === "*" || (c === "_" && !wordBefore)) && text[i + 1] !== " " && text[i + 1] !== undefined) {
      const end = closer(c, i + 1);
      if (end > i + 1) { flush(); const em = element("em"); em.append(...inline(text.slice(i + 1, end), depth + 1)); out.push(em); i = end + 1; continue; }
    }
    if (c === "[" || (c === "!" && text[i + 1] === "[")) {
      const image = c === "!";
      const open = image ? i + 1 : i;
      const middle = closer("](", open + 1);
      const end = middle > open ? closer(")", middle + 2) : -1;
      const newline = closer("\n", open);
      if (middle > open && end > middle && (newline < 0 || newline > end)) {
        flush();
        out.push(...link(text.slice(open + 1, middle), text.slice(middle + 2, end), image));
        i = end + 1;
        continue;
      }
    }
    if (c === "<" && /^<(https?:\/\/|mailto:)/i.test(text.slice(i, i + 10))) {
      const end = closer(">", i + 1);
      if (end > i) { flush(); out.push(...link(text.slice(i + 1, end), text.slice(i + 1, end), false)); i = end + 1; continue; }
    }
    plain += c;
    i += 1;
  }
  flush();
  return out;
}

// The level of an ATX heading line (`## Title`), and its text; null for any other line.
function heading(line) {
  let level = 0;
  while (level < line.length && line[level] === "#") level += 1;
  if (level < 1 || level > 6 || (line.length > level && line[level] !== " ")) return null;
  let end = line.length;
  while (end > level && (line[end - 1] === "#" || line[end - 1] === " ")) end -= 1;
  return [level, line.slice(level, end).trim()];
}

const isRule = (line) => /^ {0,3}([-*_])( *\1){2,} *$/.test(line);
const listItem = (line) => /^ {0,3}([-*+]|\d{1,9}[.)]) +/.exec(line);
const isFence = (line) => /^ {0,3}(```|~~~)/.test(line);

// Draws `source` into `container`: headings start one level below the page's own (h2), and never skip a level, so
// the page's outline stays whole. Returns whether the source was cut at MAX_BLOCKS.
export function renderMarkdown(source, container, depth = 0) {
  if (depth === 0) marks = 0;
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let blocks = 0;
  let lastHeading = 1;
  for (let i = 0; i < lines.length;) {
    if (++blocks > MAX_BLOCKS || marks >= MAX_MARKS) return true;
    const line = lines[i];
    if (line.trim() === "") { i += 1; continue; }
    if (isFence(line)) {
      const fence = line.trim().slice(0, 3);
      const body = [];
      for (i += 1; i < lines.length && !lines[i].trim().startsWith(fence); i += 1) body.push(lines[i]);
      i += 1;
      const pre = element("pre");
      pre.tabIndex = 0;
      pre.append(element("code", body.join("\n")));
      container.append(pre);
      continue;
    }
    const title = heading(line);
    if (title) {
      const level = Math.min(title[0] + 1, lastHeading + 1, 6);
      lastHeading = level;
      const made = element(`h${level}`);
      made.append(...inline(title[1]));
      container.append(made);
      i += 1;
      continue;
    }
    if (isRule(line)) { container.append(element("hr")); i += 1; continue; }
    if (line.startsWith(">") && depth < MAX_DEPTH) {
      const quoted = [];
      for (; i < lines.length && lines[i].startsWith(">"); i += 1) quoted.push(lines[i].slice(lines[i][1] === " " ? 2 : 1));
      const quote = element("blockquote");
      renderMarkdown(quoted.join("\n"), quote, depth + 1);
      container.append(quote);
      continue;
    }
    const first = listItem(line);
    if (first) {
      const ordered = /\d/.test(first[1]);
      const list = element(ordered ? "ol" : "ul");
      if (ordered && Number.parseInt(first[1], 10) !== 1) list.start = Number.parseInt(first[1], 10);
      while (i < lines.length) {
        const item = listItem(lines[i]);
        if (!item || /\d/.test(item[1]) !== ordered) break;
        const text = [lines[i].slice(item[0].length)];
        for (i += 1; i < lines.length && /^ {2,}\S/.test(lines[i]) && !listItem(lines[i]); i += 1) text.push(lines[i].trim());
        const entry = element("li");
        entry.append(...inline(text.join(" ")));
        list.append(entry);
      }
      container.append(list);
      continue;
    }
    const paragraph = [line.trim()];
    for (i += 1; i < lines.length && lines[i].trim() !== "" && !isFence(lines[i]) && !heading(lines[i]) && !isRule(lines[i])
      && !lines[i].startsWith(">") && !listItem(lines[i]); i += 1) paragraph.push(lines[i].trim());
    const made = element("p");
    made.append(...inline(paragraph.join("\n")));
    container.append(made);
  }
  return marks >= MAX_MARKS;
}
