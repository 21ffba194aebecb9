// Where a ZIP made in the page goes, as it is made: a file the person picks (the File System Access API, which writes
// to a temporary file and moves it into place when it is closed, so no half archive is ever seen under its name), or
// a download streamed through this site's service worker (zip-sw.js). Neither holds the archive in memory. Null when
// the browser has neither: the page then downloads the files one by one.
import { ZipWriter, archiveSize } from "/static/zip.js";
import { humanSize } from "/static/upload-kit.js";
import { t } from "/static/i18n.js";

const WORKER = "/static/zip-sw.js";
const SCOPE = "/static/zip/";

async function activeWorker() {
  const registration = await navigator.serviceWorker.register(WORKER, { scope: SCOPE });
  const worker = registration.active ?? registration.waiting ?? registration.installing;
  if (worker.state === "activated") return worker;
  await new Promise((resolve, reject) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
      if (worker.state === "redundant") reject(new Error(t("The download helper could not start.")));
    });
  });
  return worker;
}

function randomID() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function throughWorker(filename, size) {
  const worker = await activeWorker();
  const { readable, writable } = new TransformStream();
  const id = randomID();
  const channel = new MessageChannel();
  const accepted = new Promise((resolve) => { channel.port1.onmessage = () => resolve(); });
  worker.postMessage({ id, name: filename, size, readable }, [readable, channel.port2]);
  await accepted;
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = t("Download of {name}", { name: filename });
  frame.src = `${SCOPE}${id}/${encodeURIComponent(filename)}`;
  document.body.append(frame);
  const writer = writable.getWriter();
  return {
    kind: "download",
    write: async (chunk) => { await writer.ready; await writer.write(chunk); },
    close: async () => { await writer.close(); setTimeout(() => frame.remove(), 60000); },
    abort: async (reason) => { await writer.abort(reason).catch(() => {}); frame.remove(); },
  };
}

/**
 * A sink for an archive of `size` bytes named `filename`. Call it first in a click handler: the file picker needs the
 * click. Throws an AbortError when the person cancels the picker.
 */
export async function openSink(filename, size) {
  if (typeof window.showSaveFilePicker === "function") {
    const handle = await window.showSaveFilePicker({ suggestedName: filename, types: [{ description: "ZIP archive", accept: { "application/zip": [".zip"] } }] });
    const writable = await handle.createWritable();
    return { kind: "file", write: (chunk) => writable.write(chunk), close: () => writable.close(), abort: (reason) => writable.abort(reason) };
  }
  if (navigator.serviceWorker && window.isSecureContext && typeof ReadableStream === "function") return throughWorker(filename, size);
  return null;
}

/**
 * Writes `files` ({path, size, open()}) as one ZIP named `name`; open() gives each file's chunks. False when
 * this browser cannot stream a download (the caller then downloads the files one by one).
 */
export async function saveZip(name, files, say) {
  let sink;
  try {
    sink = await openSink(name, archiveSize(files.map((file) => ({ name: file.path, size: file.size }))));
  } catch (error) {
    if (error.name === "AbortError") { say(t("Cancelled.")); return true; }
    throw error;
  }
  if (!sink) return false;
  const zip = new ZipWriter(sink.write);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  try {
    for (const [index, file] of files.entries()) {
      say(t("Adding {n} of {count} to {name}: {path}", { n: index + 1, count: files.length, name, path: file.path }));
      await zip.add(file.path, file.size, await file.open());
    }
    await zip.finish();
    await sink.close();
    say(t("Saved {count} files ({size}) as {name}.", { count: files.length, size: humanSize(total), name }));
  } catch (error) {
    await sink.abort(error);
    throw error;
  }
  return true;
}

