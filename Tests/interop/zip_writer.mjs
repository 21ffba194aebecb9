// Writes a ZIP with web/zip.js, the page's own writer, for test_zip_writer.py to check with Python's zipfile and
// unzip: `node zip_writer.mjs OUT SPEC` where SPEC is JSON {zip64At, entries: [{path, size, seed}]}. Each entry's
// bytes come in chunks of uneven sizes, as a network gives them. Prints {"size": the file's size, "expected":
// archiveSize's}. With `paths` instead of `entries`, prints what archivePaths makes of them, or the error.
import { openSync, writeSync, closeSync, readFileSync } from "node:fs";
import { ZipWriter, archiveSize, archivePaths } from "../../web/zip.js";

const [out, specPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath, "utf8"));

if (spec.paths) {
  try {
    console.log(JSON.stringify({ paths: archivePaths(spec.paths) }));
  } catch (error) {
    console.log(JSON.stringify({ error: error.message }));
  }
  process.exit(0);
}

function* bytesOf(size, seed) {
  let state = seed >>> 0 || 1;
  let left = size;
  while (left > 0) {
    const length = Math.min(left, 1 + (state % 70000));
    const chunk = new Uint8Array(length);
    for (let i = 0; i < length; i++) { state = (Math.imul(state, 1103515245) + 12345) >>> 0; chunk[i] = state >>> 24; }
    left -= length;
    yield chunk;
  }
}

async function* asynchronously(iterable) { for (const item of iterable) yield item; }

const fd = openSync(out, "w");
let written = 0;
const zip = new ZipWriter(async (bytes) => { writeSync(fd, bytes); written += bytes.length; },
  { zip64At: spec.zip64At ?? 0xFFFFFFFF, modified: new Date(2026, 11, 5, 12, 30, 10) });
for (const entry of spec.entries) await zip.add(entry.path, entry.size, asynchronously(bytesOf(entry.size, entry.seed)));
await zip.finish();
closeSync(fd);
console.log(JSON.stringify({ size: written, expected: archiveSize(spec.entries.map((e) => ({ name: e.path, size: e.size })), spec.zip64At ?? 0xFFFFFFFF) }));
