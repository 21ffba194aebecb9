// A ZIP archive written as a stream, for "Download all": every entry stored as it is (no recompression), its CRC-32
// computed as its bytes pass, sizes after the data (a data descriptor), UTF-8 names, and ZIP64 wherever a size, an
// offset or the count of entries passes what the classic format holds. Nothing of a file is kept: the writer sees
// each chunk once. The archive's size is known before the first byte (`archiveSize`), so a download can say it.
const SIXTEEN = 0xFFFF;
const THIRTY_TWO = 0xFFFFFFFF;
const encoder = new TextEncoder();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256 * 4);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  // Slicing by four: four bytes a step, several times faster than one.
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) table[k * 256 + n] = (table[(k - 1) * 256 + n] >>> 8) ^ table[table[(k - 1) * 256 + n] & 0xFF];
  }
  return table;
})();

/** The CRC-32 of `bytes` continued from `crc` (0 to start). */
export function crc32(bytes, crc = 0) {
  let c = ~crc >>> 0;
  let i = 0;
  const end4 = bytes.length - (bytes.length % 4);
  for (; i < end4; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = CRC_TABLE[768 + (c & 0xFF)] ^ CRC_TABLE[512 + ((c >>> 8) & 0xFF)] ^ CRC_TABLE[256 + ((c >>> 16) & 0xFF)] ^ CRC_TABLE[c >>> 24];
  }
  for (; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * A safe name for a file: its last path part, without control characters or leading dots, at most 200 bytes; `file-N`
 * when nothing is left (as `dropgate download` names files).
 */
export function safePart(name, number) {
  const last = String(name).split(/[\\/]/).filter((part) => part !== "").pop() ?? ""; // a name's parts, not a format
  let cleaned = [...last].filter((c) => c.codePointAt(0) >= 0x20 && c !== "\u007f").join("");
  while (cleaned.startsWith(".")) cleaned = cleaned.slice(1);
  while (encoder.encode(cleaned).length > 200) cleaned = [...cleaned].slice(1).join("");
  return cleaned === "" ? `file-${number}` : cleaned;
}

// Little-endian fields into a fresh array.
function fields(...pairs) {
  const size = pairs.reduce((sum, [width]) => sum + width, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [width, value] of pairs) {
    if (width === 2) view.setUint16(at, value, true);
    else if (width === 4) view.setUint32(at, value, true);
    else view.setBigUint64(at, BigInt(value), true);
    at += width;
  }
  return out;
}

function dosTime(date) {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2);
  const day = ((Math.max(1980, date.getFullYear()) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return [time, day];
}

const localHeaderSize = (name) => 30 + name.length;
const descriptorSize = (zip64) => (zip64 ? 24 : 16);
const centralSize = (name, zip64) => 46 + name.length + (zip64 ? 28 : 0);

/**
 * The size of the archive of `entries` ({name, size}), exactly as `ZipWriter` writes it; `zip64At` as the writer's.
 */
export function archiveSize(entries, zip64At = THIRTY_TWO) {
  let offset = 0;
  let central = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const zip64 = entry.size >= zip64At || offset >= zip64At;
    offset += localHeaderSize(name) + entry.size + descriptorSize(zip64);
    central += centralSize(name, zip64);
  }
  const large = entries.length >= Math.min(SIXTEEN, zip64At) || offset >= zip64At || central >= zip64At;
  return offset + central + (large ? 56 + 20 : 0) + 22;
}

export class ZipWriter {
  /**
   * `write` takes each piece of the archive in order (and may wait: the writer waits for it). `zip64At` is where ZIP64
   * begins: 0xFFFFFFFF, or less in tests, to see ZIP64 records without writing 4 GiB.
   */
  constructor(write, { zip64At = THIRTY_TWO, modified = new Date() } = {}) {
    this.write = write;
    this.zip64At = zip64At;
    this.offset = 0;
    this.central = [];
    this.count = 0;
    [this.time, this.day] = dosTime(modified);
  }

  async put(bytes) {
    await this.write(bytes);
    this.offset += bytes.length;
  }

  /** Adds a file of `size` bytes whose chunks `chunks` yields (an async iterable of Uint8Array). */
  async add(path, size, chunks) {
    const name = encoder.encode(path);
    if (name.length > SIXTEEN) throw new Error(`${path}: the name is too long for a ZIP.`);
    const start = this.offset;
    const zip64 = size >= this.zip64At || start >= this.zip64At;
    const version = zip64 ? 45 : 20;
    await this.put(new Uint8Array([...fields([4, 0x04034b50], [2, version], [2, 0x0808], [2, 0], [2, this.time], [2, this.day], [4, 0], [4, 0],
      [4, 0], [2, name.length], [2, 0]), ...name]));
    let crc = 0;
    let written = 0;
    for await (const chunk of chunks) {
      if (written + chunk.length > size) throw new Error(`${path} is longer than its ${size} bytes.`);
      crc = crc32(chunk, crc);
      written += chunk.length;
      await this.put(chunk);
    }
    if (written !== size) throw new Error(`${path} ended after ${written} of its ${size} bytes.`);
    await this.put(zip64 ? fields([4, 0x08074b50], [4, crc], [8, size], [8, size]) : fields([4, 0x08074b50], [4, crc], [4, size], [4, size]));
    const small = (value) => (zip64 ? THIRTY_TWO : value);
    const header = fields([4, 0x02014b50], [2, (3 << 8) | version], [2, version], [2, 0x0808], [2, 0], [2, this.time], [2, this.day], [4, crc],
      [4, small(size)], [4, small(size)], [2, name.length], [2, zip64 ? 28 : 0], [2, 0], [2, 0], [2, 0], [4, (0o100644 << 16) >>> 0],
      [4, small(start)]);
    const extra = zip64 ? fields([2, 0x0001], [2, 24], [8, size], [8, size], [8, start]) : new Uint8Array(0);
    this.central.push(header, name, extra);
    this.count += 1;
  }

  /** Writes the central directory and its end records. */
  async finish() {
    const start = this.offset;
    for (const piece of this.central) await this.put(piece);
    const size = this.offset - start;
    const large = this.count >= Math.min(SIXTEEN, this.zip64At) || start >= this.zip64At || size >= this.zip64At;
    if (large) {
      const at = this.offset;
      await this.put(fields([4, 0x06064b50], [8, 44], [2, (3 << 8) | 45], [2, 45], [4, 0], [4, 0], [8, this.count], [8, this.count], [8, size],
        [8, start]));
      await this.put(fields([4, 0x07064b50], [4, 0], [8, at], [4, 1]));
    }
    const count = large ? SIXTEEN : this.count;
    await this.put(fields([4, 0x06054b50], [2, 0], [2, 0], [2, count], [2, count], [4, large ? THIRTY_TWO : size], [4, large ? THIRTY_TWO : start],
      [2, 0]));
  }
}

/**
 * The folder names of `path` (`[]` at the top level), checked as the gateway checks a collection's folders (a page
 * never trusts a path it was given, least of all one from a sealed manifest); throws an Error naming `file`.
 */
export function folderParts(path, file) {
  if (!path) return [];
  const refuse = (why) => { throw new Error(`${path}/${file}: ${why}`); };
  if (encoder.encode(path).length > 1024) refuse("a folder path is at most 1024 bytes.");
  if (path.startsWith("/")) refuse("an absolute path is not a folder of the collection.");
  const parts = path.split("/"); // a string checked part by part below, not a format with quoting
  if (parts.length > 32) refuse("folders may be at most 32 levels deep.");
  for (const part of parts) {
    if (part === "") refuse("a folder name is empty (two slashes, or one at the end).");
    if (part === "." || part === "..") refuse(`a folder may not be named '${part}'.`);
    if (encoder.encode(part).length > 255) refuse("a folder name is at most 255 bytes.");
    if (/[\u0000-\u001f\u007f-\u009f\\\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u.test(part)) {
      refuse("a folder name holds a control or direction character, or a backslash.");
    }
  }
  return parts;
}

/** Each file's path in the archive (its checked folders and its safe name), made unique: `a (2).txt` for a second `a.txt`. */
export function archivePaths(files) {
  const taken = new Set();
  return files.map((file, index) => {
    const folders = folderParts(file.folder, file.name);
    const name = safePart(file.name, index + 1);
    const dot = name.lastIndexOf(".");
    let candidate = [...folders, name].join("/");
    for (let copy = 2; taken.has(candidate.toLowerCase()); copy++) {
      const numbered = dot > 0 ? `${name.slice(0, dot)} (${copy})${name.slice(dot)}` : `${name} (${copy})`;
      candidate = [...folders, numbered].join("/");
    }
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

/** The chunks of a response's body, as an async iterable. */
export async function* chunksOf(body) {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally { reader.releaseLock(); }
}
