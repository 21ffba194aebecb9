// The pages' scripts in the page's language (issue 33): `t(english, args)` gives the text in the language
// the gateway wrote the page in, from the catalog it put in the page (`<script type="application/json"
// id="page-catalog">`, data that never runs), or the English where the catalog lacks it. The text goes into
// textContent and attributes only, never into markup.

let catalog = null;

function load() {
  if (catalog === null) {
    try {
      const parsed = JSON.parse(document.getElementById("page-catalog")?.textContent || "{}");
      catalog = parsed && typeof parsed === "object" ? parsed : {};
    } catch {
      catalog = {};
    }
  }
  return catalog;
}

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

export function t(english, args = {}) {
  const texts = load();
  const text = own(texts, english) && typeof texts[english] === "string" ? texts[english] : english;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (own(args, name) ? String(args[name]) : whole));
}

// The page's language, as the gateway chose it.
export const language = () => document.documentElement.lang || "en";

// A size in decimal units as the page's language writes it: 1.5 MB, 1,5 MB, 1,5 Mo.
export function sizeText(bytes) {
  const french = language() === "fr";
  const units = french ? ["octets", "Ko", "Mo", "Go", "To"] : language() === "de" ? ["Bytes", "KB", "MB", "GB", "TB"] : ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes, unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  if (unit === 0) return `${bytes} ${units[0]}`;
  const number = value.toFixed(1);
  return `${language() === "en" ? number : number.replace(".", ",")} ${units[unit]}`;
}
