// Thumbnails drawn by the uploader's browser (issue 33): a small WebP (JPEG where the browser cannot encode WebP) of
// each image, and a poster frame of each video, drawn on a canvas and sent to the store beside the file through a
// presigned PUT of its own. The gateway never decodes them; it checks their size and first bytes.

export const EDGE = 320; // the longer side, in pixels
export const MAX_BYTES = 64 * 1024; // the gateway's bound (ThumbnailRequest.maximumBytes)
const MAX_SOURCE = 64 * 1024 * 1024; // larger files are not decoded here (a decompression bomb costs the page only)
const VIDEO_WAIT = 8000;

const withTimeout = (promise, ms) => Promise.race([promise, new Promise((_, fail) => setTimeout(() => fail(new Error("timed out")), ms))]);
const once = (target, event) => new Promise((resolve, reject) => {
  target.addEventListener(event, resolve, { once: true });
  target.addEventListener("error", () => reject(new Error("cannot decode")), { once: true });
});

// The picture to draw from: a decoded image, or a video's frame at a tenth of its length (at most a second in).
async function source(file) {
  if (file.size > MAX_SOURCE) return null;
  if (file.type.startsWith("image/") && file.type !== "image/svg+xml") {
    const bitmap = await createImageBitmap(file);
    return { image: bitmap, width: bitmap.width, height: bitmap.height, done: () => bitmap.close() };
  }
  if (file.type.startsWith("video/")) {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    const done = () => { video.removeAttribute("src"); video.load(); URL.revokeObjectURL(url); };
    try {
      video.muted = true;
      video.preload = "auto";
      video.src = url;
      await withTimeout(once(video, "loadeddata"), VIDEO_WAIT);
      video.currentTime = Math.min(1, (Number.isFinite(video.duration) ? video.duration : 0) / 10);
      await withTimeout(once(video, "seeked"), VIDEO_WAIT);
      return { image: video, width: video.videoWidth, height: video.videoHeight, done };
    } catch (error) {
      done();
      throw error;
    }
  }
  return null;
}

const encode = (canvas, type, quality) => new Promise((resolve) => canvas.toBlob(resolve, type, quality));

// A thumbnail of `file` as a Blob (image/webp or image/jpeg, at most MAX_BYTES), or null for a file that has none.
export async function drawThumbnail(file) {
  const picture = await source(file);
  if (!picture) return null;
  try {
    if (!picture.width || !picture.height) return null;
    const scale = Math.min(1, EDGE / Math.max(picture.width, picture.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(picture.width * scale));
    canvas.height = Math.max(1, Math.round(picture.height * scale));
    canvas.getContext("2d").drawImage(picture.image, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.8, 0.5, 0.3]) {
      let blob = await encode(canvas, "image/webp", quality);
      if (!blob || blob.type !== "image/webp") blob = await encode(canvas, "image/jpeg", quality);
      if (blob && blob.size <= MAX_BYTES && ["image/webp", "image/jpeg"].includes(blob.type)) return blob;
    }
    return null;
  } finally {
    picture.done();
  }
}
