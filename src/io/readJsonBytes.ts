// JSON from bytes without one giant string: long plain strings (modelc_export's base64 arrays,
// FORMAT.md version 2) are lifted out of the text before parsing and come back as lazy properties.
//
// V8 cannot hold a string over ~512 M characters, and decoding a whole file into one string costs
// time and memory. Here the bytes are scanned for string tokens (memchr-speed indexOf on the
// buffer); every string of at least `liftMin` bytes that is printable ASCII without escapes is
// replaced by a short placeholder string, the remaining text (the "skeleton") is parsed with
// parseTolerantJson, and each placeholder becomes a getter that decodes its bytes when read. A
// lifted string is a valid string token wherever it stands, so the skeleton is valid JSON exactly
// when the original is, and the values are those JSON.parse would give.

import { CompileError } from "../errors.ts";
import { DEFAULT_MAX_JSON_DEPTH, MAX_JSON_VALUES, parseTolerantJson, validateTolerantJson, type JsonReadOptions } from "./readJson.ts";
import { lineColumnAt } from "./textPosition.ts";

/** V8's longest string (~512 M UTF-16 units). */
export const MAX_STRING_LENGTH = 0x1fffffe8;

export interface JsonBytesOptions extends JsonReadOptions {
  /** strings of at least this many bytes are lifted out of the text (default 1024) */
  liftMin?: number;
  /** longest text that may be decoded into one string (tests lower it) */
  maxText?: number;
  /** most values (counted as commas) in the document: V8 fails fatally on an array of ~2^27 (default 100,000,000) */
  maxValues?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Sentinel characters for placeholders: a control character whose `\u00XX` escape the bytes lack. */
const SENTINELS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19];

export function parseJsonBytes(bytes: Uint8Array, file?: string, options: JsonBytesOptions = {}): unknown {
  const liftMin = Math.max(options.liftMin ?? 1024, 16);
  const maxText = options.maxText ?? MAX_STRING_LENGTH;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const begin = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;

  checkValueCount(buf, begin, options.maxValues ?? MAX_JSON_VALUES, file);
  // counted here, in the bytes: the skeleton is not counted again
  const textOptions = { ...options, maxValues: Number.POSITIVE_INFINITY };
  const lifted = findLongStrings(buf, begin, liftMin);
  let sentinel = -1;
  if (lifted.length > 0) {
    for (const c of SENTINELS) {
      if (buf.indexOf("\\u" + c.toString(16).padStart(4, "0")) === -1) {
        sentinel = c;
        break;
      }
    }
  }
  if (sentinel === -1) {
    if (buf.length - begin > maxText) tooLarge(file);
    return parseTolerantJson(new TextDecoder("utf-8").decode(buf.subarray(begin)), file, textOptions);
  }

  // The skeleton: text between lifted strings, each lifted string as "\u00SSk" (k its index).
  const decoder = new TextDecoder("utf-8");
  const esc = "\\u" + sentinel.toString(16).padStart(4, "0");
  const parts: string[] = [];
  const skelStarts: number[] = []; // skeleton offset of each placeholder's opening quote
  let length = 0;
  let from = begin;
  for (let k = 0; k < lifted.length; k += 2) {
    const piece = decoder.decode(buf.subarray(from, lifted[k]! - 1));
    const ph = `"${esc}${k >> 1}"`;
    skelStarts.push(length + piece.length);
    length += piece.length + ph.length;
    if (length > maxText) tooLarge(file);
    parts.push(piece, ph);
    from = lifted[k + 1]! + 1;
  }
  const tail = decoder.decode(buf.subarray(from));
  if (length + tail.length > maxText) tooLarge(file);
  parts.push(tail);
  const skeleton = parts.join("");

  let doc: unknown;
  try {
    doc = parseTolerantJson(skeleton, file, textOptions);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    throw relocate(e, buf, begin, skeleton, skelStarts, lifted, file, options, maxText);
  }
  return restore(doc, String.fromCharCode(sentinel), buf, lifted);
}

/**
 * Refuse a document of more than `max` values before JSON.parse builds it: an array of ~2^27 elements
 * is a fatal error of V8, not an exception. Commas bound the values from above (long strings hold none);
 * a text under 2 × max bytes cannot hold that many.
 */
function checkValueCount(buf: Buffer, begin: number, max: number, file: string | undefined): void {
  if (buf.length - begin < 2 * max) return;
  let commas = 0;
  for (let i = begin; i < buf.length; i++) {
    if (buf[i] === 0x2c && ++commas > max) {
      let line = 1;
      for (let j = buf.indexOf(0x0a, begin); j !== -1 && j < i; j = buf.indexOf(0x0a, j + 1)) line++;
      throw new CompileError(
        "E_LIMIT",
        `more than ${max} values; modelc reads JSON models of up to that many numbers and strings`,
        { file, line },
        "XGBoost: save as UBJSON",
      );
    }
  }
}

function tooLarge(file: string | undefined): never {
  throw new CompileError(
    "E_LIMIT",
    "a JSON model whose text (outside long base64 strings) is over 512 MiB cannot be read by JavaScript engines",
    { file },
    "scikit-learn: re-export with the current modelc_export (binary arrays); XGBoost: save as UBJSON",
  );
}

/**
 * Content ranges [start, end) (pairs, flat) of the string values (not property names) of at least
 * `min` bytes that are ASCII without control characters or a backslash. Outside strings a quote always opens a string token, and a
 * string ends at the next quote not preceded by an odd number of backslashes.
 */
function findLongStrings(buf: Buffer, begin: number, min: number): number[] {
  const out: number[] = [];
  let open = buf.indexOf(QUOTE, begin);
  while (open !== -1) {
    let close = buf.indexOf(QUOTE, open + 1);
    let escaped = false;
    while (close !== -1) {
      let k = 0;
      while (buf[close - 1 - k] === BACKSLASH) k++;
      if (k > 0) escaped = true;
      if ((k & 1) === 0) break;
      close = buf.indexOf(QUOTE, close + 1);
    }
    if (close === -1) break; // unterminated: the parser reports it
    if (!escaped && close - open - 1 >= min && !isKey(buf, close + 1) && plainAscii(buf, open + 1, close)) out.push(open + 1, close);
    open = buf.indexOf(QUOTE, close + 1);
  }
  return out;
}

/** Is the next non-whitespace byte from `i` a colon (the string was a property name)? */
function isKey(buf: Buffer, i: number): boolean {
  while (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09) i++;
  return buf[i] === 0x3a;
}

/** No byte below 0x20, above 0x7f, or a backslash in buf[start, end) (four bytes at a time). */
function plainAscii(buf: Buffer, start: number, end: number): boolean {
  const bad = (c: number): boolean => c < 0x20 || c > 0x7f || c === BACKSLASH;
  let i = start;
  while (i < end && (buf.byteOffset + i) % 4 !== 0) if (bad(buf[i++]!)) return false;
  const words = (end - i) >> 2;
  if (words > 0) {
    const w32 = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      const w = w32[k]!;
      if ((w & 0x80808080) !== 0) return false; // non-ASCII
      if (((w - 0x20202020) & ~w & 0x80808080) !== 0) return false; // a byte < 0x20
      const b = w ^ 0x5c5c5c5c;
      if (((b - 0x01010101) & ~b & 0x80808080) !== 0) return false; // a backslash
    }
    i += words * 4;
  }
  while (i < end) if (bad(buf[i++]!)) return false;
  return true;
}

/**
 * Replace the placeholders: object properties become enumerable getters that decode the bytes on
 * each read (the strings are usually read once, then dropped); array elements are decoded now.
 */
function restore(root: unknown, sentinel: string, buf: Buffer, lifted: number[]): unknown {
  const text = (s: string): string | undefined => {
    if (s.length < 2 || s[0] !== sentinel) return undefined;
    const k = Number(s.slice(1));
    return buf.toString("latin1", lifted[2 * k]!, lifted[2 * k + 1]!);
  };
  if (typeof root === "string") return text(root) ?? root;
  if (typeof root !== "object" || root === null) return root;
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "object" && v !== null) stack.push(v);
        else if (typeof v === "string" && v[0] === sentinel) node[i] = text(v) ?? v;
      }
      continue;
    }
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (typeof v === "object" && v !== null) stack.push(v);
      else if (typeof v === "string" && v[0] === sentinel) {
        const k = Number(v.slice(1));
        const start = lifted[2 * k]!;
        const end = lifted[2 * k + 1]!;
        Object.defineProperty(obj, key, {
          get: () => buf.toString("latin1", start, end),
          set(value: unknown) {
            Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
          },
          enumerable: true,
          configurable: true,
        });
      }
    }
  }
  return root;
}

/** An error found in the skeleton, with the line and column of the original text. */
function relocate(
  e: CompileError,
  buf: Buffer,
  begin: number,
  skeleton: string,
  skelStarts: number[],
  lifted: number[],
  file: string | undefined,
  options: JsonBytesOptions,
  maxText: number,
): CompileError {
  if (e.location.line === undefined) return e;
  if (buf.length - begin <= maxText) {
    // small enough for one string: the plain reader gives the canonical message and position
    try {
      parseTolerantJson(new TextDecoder("utf-8").decode(buf.subarray(begin)), file, options);
    } catch (full) {
      if (full instanceof CompileError) return full;
      throw full;
    }
    return e;
  }
  const problem = validateTolerantJson(skeleton, options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (!problem) return e;
  // skeleton offset -> byte offset: after the last placeholder that starts before it
  let lo = 0;
  let hi = skelStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (skelStarts[mid]! <= problem.pos) lo = mid + 1;
    else hi = mid;
  }
  let byte: number;
  if (lo === 0) byte = begin + Buffer.byteLength(skeleton.slice(0, problem.pos));
  else {
    const k = lo - 1;
    const phEnd = skelStarts[k]! + (skeleton.indexOf('"', skelStarts[k]! + 1) + 1 - skelStarts[k]!);
    const after = Math.max(problem.pos - phEnd, 0);
    byte = lifted[2 * k + 1]! + 1 + Buffer.byteLength(skeleton.slice(phEnd, phEnd + after));
  }
  // lifted strings hold no line breaks: count lines in the bytes, columns in the decoded line
  let lineStart = begin;
  let line = 1;
  for (let i = buf.indexOf(0x0a, begin); i !== -1 && i < byte; i = buf.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const prefix = new TextDecoder("utf-8").decode(buf.subarray(lineStart, byte));
  const column = lineColumnAt(prefix, prefix.length).column;
  return new CompileError(problem.code, problem.message, { file, line, column });
}
