// Hostile model files of hundreds of megabytes, written in chunks (the generator itself stays small
// in memory): the size limits of every reader are measured on them in a child process.

import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { constants, deflateRawSync } from "node:zlib";

const FX = join(import.meta.dirname, "..", "..", "fixtures");

/** Write `total` bytes made of `unit` repeated (and a head/tail) in chunks of about 16 MiB. */
function writeRepeated(file: string, head: string | Uint8Array, unit: string | Uint8Array, count: number, tail: string | Uint8Array = ""): void {
  const u = typeof unit === "string" ? Buffer.from(unit) : Buffer.from(unit);
  const per = Math.max(1, Math.floor((16 << 20) / Math.max(u.length, 1)));
  const chunk = Buffer.alloc(per * u.length);
  for (let i = 0; i < per; i++) u.copy(chunk, i * u.length);
  const fd = openSync(file, "w");
  try {
    writeSync(fd, typeof head === "string" ? Buffer.from(head) : head);
    let left = count;
    while (left > 0) {
      const n = Math.min(left, per);
      writeSync(fd, chunk, 0, n * u.length);
      left -= n;
    }
    writeSync(fd, typeof tail === "string" ? Buffer.from(tail) : tail);
  } finally {
    closeSync(fd);
  }
}

/** JSON `[0,0,…,0]` with n elements (2n bytes). */
export function jsonZeros(dir: string, n: number): string {
  const f = join(dir, "zeros.json");
  writeRepeated(f, "[0", ",0", n - 1, "]");
  return f;
}

/** LightGBM text: `tree` then n blank lines. */
export function lightgbmBlankLines(dir: string, n: number): string {
  const f = join(dir, "blank.txt");
  writeRepeated(f, "tree\n", "\n", n);
  return f;
}

/** LightGBM text: `tree` then n lines `x` (not whitespace). */
export function lightgbmManyLines(dir: string, n: number): string {
  const f = join(dir, "lines.txt");
  writeRepeated(f, "tree\n", "x\n", n);
  return f;
}

/** UBJSON `{ "a" [$i#l n …] }`: one typed int8 array of n elements. */
export function ubjsonInt8(dir: string, n: number): string {
  const f = join(dir, "int8.ubj");
  const head = Buffer.from([0x7b, 0x55, 1, 0x61, 0x5b, 0x24, 0x69, 0x23, 0x6c, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  writeRepeated(f, head, new Uint8Array(1), n, Buffer.from([0x7d]));
  return f;
}

/** `{` then n bytes of whitespace (a .json file). */
export function jsonWhitespace(dir: string, n: number): string {
  const f = join(dir, "ws.json");
  writeRepeated(f, "{", " ", n, "}");
  return f;
}

/** zlib data that inflates to `size` zero bytes (~1/1000 of it), built from repeated deflate blocks. */
export function zlibZeros(size: number): Buffer {
  const BLOCK = 64 << 20;
  const full = deflateRawSync(Buffer.alloc(Math.min(BLOCK, size)), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [Buffer.from([0x78, 0xda])];
  let left = size;
  while (left >= BLOCK) {
    parts.push(full);
    left -= BLOCK;
  }
  if (left > 0) parts.push(deflateRawSync(Buffer.alloc(left), { level: 9, finishFlush: constants.Z_SYNC_FLUSH }));
  parts.push(Buffer.from([0x03, 0x00])); // final empty fixed-Huffman block
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((size % 65521) << 16) | 1) >>> 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

/**
 * A modelc_export random forest whose first tree's node arrays are each a 2 GiB zlib bomb
 * (int64/float64 arrays of 2^28 − 1 elements), repeated over `trees` trees.
 */
export function sklearnBomb(dir: string, trees = 2): string {
  const f = join(dir, "bomb.json");
  const doc = JSON.parse(readFileSync(join(FX, "sk12-rf-clf-binary-arrays", "model.json"), "utf8"));
  const n = 2 ** 28 - 1;
  const bomb = zlibZeros(n * 8).toString("base64");
  const first = doc.estimator.attrs.estimators_[0];
  const t = first.estimator.attrs.tree_.tree;
  t.node_count = n;
  t.capacity = n;
  for (const k of ["left_child", "right_child", "feature", "threshold", "n_node_samples"]) {
    if (!t[k]) continue;
    t[k].ndarray.shape = [n];
    t[k].ndarray.bytes = bomb;
  }
  t.value.ndarray.shape = [n, 1, 1];
  t.value.ndarray.bytes = bomb;
  doc.estimator.attrs.estimators_ = Array.from({ length: trees }, () => first);
  doc.estimator.attrs.n_estimators = trees;
  doc.estimator.params.n_estimators = trees;
  const fd = openSync(f, "w");
  try {
    writeSync(fd, JSON.stringify(doc));
  } finally {
    closeSync(fd);
  }
  return f;
}
