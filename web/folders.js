// A dropped or picked folder: every file in it with the folder it sits in (the dropped folder's own name first), so a
// collection keeps its tree. Paths are checked as the gateway checks them (zip.js folderParts), and a walk stops at
// 32 levels and 1,000 files, naming the file that passed a bound. Files dropped alone have no folder.
import { folderParts } from "/static/zip.js";
import { t } from "/static/i18n.js";

/** The folder of each file that came from a folder ("" or absent: the top level). */
export const folderOf = new WeakMap();

const MAX_FILES = 1000;
const MAX_DEPTH = 32;

function tooMany() { return new Error(t("A share holds at most {count} files; this folder has more.", { count: MAX_FILES })); }

// Every entry of a directory: readEntries gives them a batch at a time.
async function entriesOf(directory) {
  const reader = directory.createReader();
  const all = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
    if (all.length > MAX_FILES) throw tooMany();
  }
}

async function walk(entry, folder, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    folderParts(folder, file.name); // throws, naming the file
    folderOf.set(file, folder);
    out.push(file);
    if (out.length > MAX_FILES) throw tooMany();
    return;
  }
  const path = folder ? `${folder}/${entry.name}` : entry.name;
  if (path.split("/").length > MAX_DEPTH) throw new Error(`${path}: folders may be at most ${MAX_DEPTH} levels deep.`);
  for (const child of await entriesOf(entry)) await walk(child, path, out);
}

/** The files of a drop, folders walked; throws an Error in plain words when a path or a bound refuses them. */
export async function filesFromDrop(transfer) {
  const entries = [...(transfer.items ?? [])].filter((item) => item.kind === "file").map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.some((entry) => entry.isDirectory)) return [...transfer.files];
  const out = [];
  for (const entry of entries) await walk(entry, "", out);
  return out;
}

/** The files of a folder picker (`webkitdirectory`), each with the folder its relative path names. */
export function filesFromPicker(files) {
  const out = [...files];
  if (out.length > MAX_FILES) throw tooMany();
  for (const file of out) {
    const path = file.webkitRelativePath || "";
    const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    folderParts(folder, file.name);
    folderOf.set(file, folder);
  }
  return out;
}
