// The pages' scripts in the page's language (issue 33): `t(english, args)` gives the text in the language
// the gateway wrote the page in, from that language's catalog, or the English where the catalog lacks it. The page
// names its catalog (`<meta name="dg-catalog">`: `/static/i18n-de.json?v=…`, nothing for English), a file the
// browser keeps, so pages carry none of it; every script that imports this module waits for it (a top-level await).
// The text goes into textContent and attributes only, never into markup.

async function fetchCatalog() {
  if (typeof document === "undefined") return {};  // Node, where tests load some of the pages' modules
  const address = document.querySelector('meta[name="dg-catalog"]')?.content || "";
  if (!/^\/static\/i18n-[a-z]{2}\.json\?v=[0-9a-f]+$/.test(address)) return {};
  try {
    const answer = await fetch(address);
    const parsed = answer.ok ? await answer.json() : {};
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};  // the page stays English rather than failing
  }
}

const catalog = await fetchCatalog();

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

// `english` in the page's language, each `{name}` replaced by args[name]: a number grouped as the language groups
// it (12,345, 12.345, 12 345, as the gateway writes counts in pages), anything else as it is.
export function t(english, args = {}) {
  const text = own(catalog, english) && typeof catalog[english] === "string" ? catalog[english] : english;
  const shown = (value) => (typeof value === "number" && Number.isInteger(value) ? numberFormat().format(value) : String(value));
  return text.replace(/\{(\w+)\}/g, (whole, name) => (own(args, name) ? shown(args[name]) : whole));
}

let formatter = null;
function numberFormat() {
  formatter ??= new Intl.NumberFormat(language(), { maximumFractionDigits: 0 });
  return formatter;
}

// The page's language, as the gateway chose it (English where there is no page: Node, in tests).
export const language = () => (typeof document === "undefined" ? "en" : document.documentElement.lang || "en");

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
