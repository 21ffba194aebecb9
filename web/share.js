// The collection page's "Download all": one ZIP built here from each file's counted download link, streamed to a file
// or a download as it is made (zip-sink.js), so neither this page nor the gateway holds it. Without a way to stream
// (no File System Access API, no service worker), each file's download link in turn, a moment apart.
import { archivePaths, chunksOf } from "/static/zip.js";
import { saveZip } from "/static/zip-sink.js";
import { fetchCounted } from "/static/upload-kit.js";
import { t } from "/static/i18n.js";

const button = document.getElementById("download-all");
const status = document.getElementById("download-all-status");

async function oneByOne() {
  const links = [...document.querySelectorAll("a.file-download")];
  for (const [index, link] of links.entries()) {
    status.textContent = t("Downloading {n} of {count}…", { n: index + 1, count: links.length });
    link.click();
    await new Promise((resolve) => setTimeout(resolve, 800));
  }
  status.textContent = t("Started {count} downloads.", { count: links.length });
}

if (button) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    const say = (text) => { status.textContent = text; };
    say(t("Preparing the ZIP…"));
    try {
      const items = [...document.querySelectorAll("li.file")].map((item) => ({
        folder: item.dataset.folder, name: item.dataset.name, size: Number(item.dataset.size), raw: item.dataset.raw,
      }));
      const paths = archivePaths(items);
      const files = items.map((item, index) => ({ path: paths[index], size: item.size, open: async () => chunksOf((await fetchCounted(`${item.raw}?download=1`)).body) }));
      if (!(await saveZip(button.dataset.name, files, say))) await oneByOne();
    } catch (error) {
      say(t("The ZIP was not finished: {reason}", { reason: error.message }));
    } finally {
      button.disabled = false;
    }
  });
}
