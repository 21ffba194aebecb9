// An audio file's waveform, where it is cheap: a file up to 20 MB is read once (the page's one counted read), played
// from that copy, and decoded by the browser's own decoder into peaks drawn on a canvas. Bigger files keep the native
// player alone, which streams.
import { t } from "/static/i18n.js";
export const WAVEFORM_LIMIT = 20 * 1000 * 1000;

function duration(seconds) {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** Draws the waveform of `bytes` (an ArrayBuffer) named `name` into a canvas it returns; throws if it cannot decode. */
export async function waveform(bytes, name) {
  const Context = window.OfflineAudioContext || window.webkitOfflineAudioContext;
  const context = new Context(1, 1, 44100);
  const audio = await context.decodeAudioData(bytes);
  const canvas = document.createElement("canvas");
  const width = 600;
  const height = 80;
  canvas.width = width;
  canvas.height = height;
  canvas.className = "waveform";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", t("Waveform of {name}, {duration} long", { name, duration: duration(audio.duration) }));
  const samples = audio.getChannelData(0);
  const step = Math.max(1, Math.floor(samples.length / width));
  const draw = canvas.getContext("2d");
  draw.fillStyle = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#0b5cad";
  for (let x = 0; x < width; x++) {
    let peak = 0;
    const end = Math.min(samples.length, (x + 1) * step);
    for (let i = x * step; i < end; i++) peak = Math.max(peak, Math.abs(samples[i]));
    const bar = Math.max(1, peak * height);
    draw.fillRect(x, (height - bar) / 2, 1, bar);
  }
  return canvas;
}
