// Source code and structured text with line numbers and highlighting, written for this project: a linear scanner per
// family of languages (comments, strings, numbers, keywords) that makes spans and text nodes, never HTML, so a file's
// `</script>` or markup is only ever text. Bounded: 10,000 lines, 5,000 characters a line, 20,000 highlighted spans;
// past them, plain text and "download to see all". Direction marks (the Trojan Source trick) are shown, not obeyed.
import { t } from "/static/i18n.js";

const MAX_LINES = 10000;
const MAX_LINE = 5000;
const MAX_SPANS = 20000;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

const words = (text) => new Set(text.split(" "));
const C_KEYWORDS = words("abstract as async await break case catch class const continue def default defer delete do else enum export extends "
  + "extension false final finally fn for func function go guard if impl implements import in init interface internal is let match mod "
  + "module mut new nil null override package private protected protocol pub public return self Self static struct super switch this "
  + "throw throws trait true try type typeof typealias union unsafe use var void where while yield val fun when object data sealed lazy "
  + "int long short char float double bool string byte unsigned signed auto register volatile extern sizeof goto namespace template "
  + "typename using virtual friend operator constexpr chan select range map interface defer fallthrough");
const HASH_KEYWORDS = words("and as assert async await break class continue def del elif else except False finally for from global if import in "
  + "is lambda None nonlocal not or pass raise return True try while with yield begin end ensure rescue unless until module require "
  + "then fi do done case esac function local export echo true false null yes no on off");
const SQL_KEYWORDS = words("select from where insert into values update set delete create table drop alter add column index primary key "
  + "foreign references join inner left right outer on group by order having limit offset as and or not null is in like between "
  + "distinct union all exists case when then else end begin commit rollback transaction view with returning default unique check");

export const FAMILIES = {
  c: { line: ["//"], block: [["/*", "*/"]], quotes: ['"', "'", "`"], keywords: C_KEYWORDS },
  hash: { line: ["#"], block: [], quotes: ['"', "'"], keywords: HASH_KEYWORDS },
  sql: { line: ["--"], block: [["/*", "*/"]], quotes: ["'", '"'], keywords: SQL_KEYWORDS, caseless: true },
  json: { line: [], block: [], quotes: ['"'], keywords: words("true false null") },
  css: { line: [], block: [["/*", "*/"]], quotes: ['"', "'"], keywords: words("important inherit initial none auto") },
  markup: { line: [], block: [["<!--", "-->"]], quotes: ['"', "'"], keywords: new Set(), tags: true },
  log: { line: [], block: [], quotes: ['"'], keywords: words("ERROR Error error ERR FATAL Fatal WARN Warn WARNING Warning warn warning INFO Info info DEBUG Debug debug TRACE trace") },
};

class Painter {
  constructor() { this.spans = 0; }

  span(kind, text) {
    if (this.spans >= MAX_SPANS) return document.createTextNode(text);
    this.spans += 1;
    const made = document.createElement("span");
    made.className = `tok-${kind}`;
    made.textContent = text;
    return made;
  }

  // A line's text with each direction mark replaced by a visible, named marker.
  text(text) {
    if (!BIDI.test(text)) return [document.createTextNode(text)];
    const out = [];
    let plain = "";
    for (const c of text) {
      if (!BIDI.test(c)) { plain += c; continue; }
      if (plain) out.push(document.createTextNode(plain));
      plain = "";
      const mark = this.span("bidi", `⟪U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}⟫`);
      if (mark.nodeType === 1) mark.title = t("A direction mark: it could make the code read differently from how it runs.");
      out.push(mark);
    }
    if (plain) out.push(document.createTextNode(plain));
    return out;
  }

  token(kind, text) { return BIDI.test(text) || kind === null ? this.text(text) : [this.span(kind, text)]; }
}

// One line's nodes; `state.block` is the end marker of a block comment still open from an earlier line.
function scanLine(line, family, state, painter) {
  const out = [];
  let plain = "";
  const flush = () => { if (plain) { out.push(...painter.text(plain)); plain = ""; } };
  const emit = (kind, text) => { flush(); out.push(...painter.token(kind, text)); };
  let i = 0;
  while (i < line.length) {
    if (state.block) {
      const end = line.indexOf(state.block, i);
      const stop = end < 0 ? line.length : end + state.block.length;
      emit("comment", line.slice(i, stop));
      if (end >= 0) state.block = null;
      i = stop;
      continue;
    }
    const rest = line.startsWith.bind(line);
    const lineComment = family.line.find((mark) => rest(mark, i));
    if (lineComment) { emit("comment", line.slice(i)); break; }
    const block = family.block.find(([open]) => rest(open, i));
    if (block) { state.block = block[1]; emit("comment", line.slice(i, i + block[0].length)); i += block[0].length; continue; }
    const c = line[i];
    if (family.quotes.includes(c)) {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === "\\" ? 2 : 1;
      emit("string", line.slice(i, Math.min(j + 1, line.length)));
      i = j + 1;
      continue;
    }
    if (family.tags && c === "<") {
      let j = i + 1;
      while (j < line.length && /[\w:/!?-]/.test(line[j])) j += 1;
      emit("keyword", line.slice(i, j));
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) && !/[\w$]/.test(line[i - 1] ?? "")) {
      let j = i + 1;
      while (j < line.length && /[\w.]/.test(line[j])) j += 1;
      emit("number", line.slice(i, j));
      i = j;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < line.length && /[\w$]/.test(line[j])) j += 1;
      const word = line.slice(i, j);
      if (family.keywords.has(family.caseless ? word.toLowerCase() : word)) emit("keyword", word); else plain += word;
      i = j;
      continue;
    }
    plain += c;
    i += 1;
  }
  flush();
  return out;
}

/**
 * Draws `text` as code of `family` (a key of FAMILIES) into `container`, named `name` for screen readers; returns
 * whether anything was cut (lines, a line's length).
 */
export function drawCode(text, family, container, name) {
  const painter = new Painter();
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  let cut = lines.length > MAX_LINES;
  const shown = lines.slice(0, MAX_LINES);
  const numbers = document.createElement("pre");
  numbers.className = "line-numbers";
  numbers.setAttribute("aria-hidden", "true");
  numbers.textContent = shown.map((_, index) => index + 1).join("\n");
  const code = document.createElement("code");
  const state = { block: null };
  const rules = FAMILIES[family] ?? FAMILIES.log;
  shown.forEach((line, index) => {
    let piece = line;
    if (piece.length > MAX_LINE) { piece = `${piece.slice(0, MAX_LINE)}…`; cut = true; }
    code.append(...scanLine(piece, rules, state, painter));
    if (index < shown.length - 1) code.append("\n");
  });
  const lined = document.createElement("pre");
  lined.className = "code-lines";
  lined.append(code);
  const region = document.createElement("div");
  region.className = "code";
  region.tabIndex = 0;
  region.setAttribute("role", "region");
  region.setAttribute("aria-label", `${name}, ${shown.length} line${shown.length === 1 ? "" : "s"}`);
  region.append(numbers, lined);
  container.replaceChildren(region);
  return cut;
}
