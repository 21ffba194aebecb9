// The service worker that turns a stream made in a page into a download (zip-sink.js): the page hands it a stream
// and a name, then opens /static/zip/{id}/{name}, which this answers with the stream as an attachment. It answers
// nothing else, and each stream once.
const pending = new Map();

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const { id, name, size, readable } = event.data ?? {};
  if (typeof id !== "string" || !/^[0-9a-f]{32}$/.test(id) || !(readable instanceof ReadableStream)) return;
  pending.set(id, { name: String(name), size: Number(size), readable });
  event.ports[0]?.postMessage("ready");
});

self.addEventListener("fetch", (event) => {
  const match = /^\/static\/zip\/([0-9a-f]{32})\//.exec(new URL(event.request.url).pathname);
  if (!match) return;
  const entry = pending.get(match[1]);
  pending.delete(match[1]);
  if (!entry) {
    event.respondWith(new Response("This download is no longer available.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
    return;
  }
  const headers = new Headers({
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="archive.zip"; filename*=UTF-8''${encodeURIComponent(entry.name)}`,
    "X-Content-Type-Options": "nosniff",
  });
  if (Number.isSafeInteger(entry.size) && entry.size > 0) headers.set("Content-Length", String(entry.size));
  event.respondWith(new Response(entry.readable, { headers }));
});
