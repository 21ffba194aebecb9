// The collection page's "Download all": each file's download link in turn, a moment apart, so the gateway still
// carries no bytes (the browser may ask once whether this page may download several files).
"use strict";

const button = document.getElementById("download-all");
const status = document.getElementById("download-all-status");
if (button) {
  button.addEventListener("click", async () => {
    const links = [...document.querySelectorAll("a.file-download")];
    button.disabled = true;
    for (const [index, link] of links.entries()) {
      status.textContent = `Downloading ${index + 1} of ${links.length}…`;
      link.click();
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    status.textContent = `Started ${links.length} downloads.`;
    button.disabled = false;
  });
}
