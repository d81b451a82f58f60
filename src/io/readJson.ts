// Tolerant JSON reading: standard JSON plus the bare tokens `NaN`, `Infinity`
// and `-Infinity` that XGBoost writes into its JSON model files.
//
// Strategy (model files are often 100-500 MB, so speed matters):
//   1. if the text contains one of the tokens outside strings (found with
//      indexOf, which is nearly free), rewrite those tokens into something
//      JSON.parse accepts (`1e999`, `-1e999`, and a string sentinel for NaN
//      that cannot occur in the document); otherwise keep the text as is;
//   2. native JSON.parse, then swap the NaN sentinels back (an iterative walk
//      that also enforces the depth limit);
//   3. whenever the native parser rejects the text, run our own small
//      validator (iterative, allocation free) over the original text to find
//      the first error and report it with a 1-based line and column.

import { CompileError } from "../errors.ts";
import { lineColumnAt } from "./textPosition.ts";

export interface JsonReadOptions {
  /**
   * Deepest allowed nesting of arrays/objects; deeper input gives E_LIMIT.
   * Default 10000. JSON.parse itself copes with any depth, but recursive
   * consumers (zod, printers) would overflow the stack, so valid input is
   * checked with an iterative walk (about 5-10% of the parse time);
   * `Infinity` skips that walk.
   */
  maxDepth?: number;
  /** most values (counted as commas) in the document (default MAX_JSON_VALUES) */
  maxValues?: number;
}

/**
 * Most values of one JSON document: V8 ends the process (a fatal error, not an exception) when
 * JSON.parse builds an array of ~2^27 elements, so longer documents are refused before parsing.
 */
export const MAX_JSON_VALUES = 100_000_000;

/** Refuse a text of more than `max` commas (an upper bound of its values); one under 2 × max characters cannot have them. */
export function checkValueCount(text: string, max: number, file: string | undefined): void {
  if (text.length < 2 * max) return;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x2c && ++commas > max) {
      let line = 1;
      for (let j = text.indexOf("\n"); j !== -1 && j < i; j = text.indexOf("\n", j + 1)) line++;
      throw new CompileError("E_LIMIT", `more than ${max} values; modelc reads JSON documents of up to that many numbers and strings`, { file, line });
    }
  }
}

export const DEFAULT_MAX_JSON_DEPTH = 10_000;

const BOM = 0xfeff;

/**
 * Parse JSON that may contain the bare tokens `NaN`, `Infinity`, `-Infinity`
 * (outside strings). Values are exactly those of JSON.parse on valid JSON.
 * Errors: E_PARSE with 1-based line/column, E_LIMIT for too deep nesting.
 */
export function parseTolerantJson(text: string, file?: string, options: JsonReadOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  if (text.length > 0 && text.charCodeAt(0) === BOM) text = text.slice(1);
  checkValueCount(text, options.maxValues ?? MAX_JSON_VALUES, file);

  // Rewrite the tokens first when there are any outside strings: finding out
  // costs two indexOf scans (~10 ms per 200 MB), much less than a failed
  // native parse, which may only fail near the end of the file.
  const rewritten = rewriteSpecialTokens(text, file);
  let value: unknown;
  try {
    value = JSON.parse(rewritten === null ? text : rewritten.text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw limitFromNative(e, file);
    // The text really is invalid: locate the first problem ourselves.
    throw locateError(text, file, maxDepth);
  }
  if (rewritten !== null && rewritten.nanSentinel !== null) {
    return walkParsed(value, rewritten.nanSentinel, maxDepth, text, file);
  }
  if (maxDepth !== Infinity) walkParsed(value, undefined, maxDepth, text, file);
  return value;
}

function limitFromNative(e: unknown, file: string | undefined): unknown {
  if (e instanceof RangeError) {
    return new CompileError("E_LIMIT", `JSON input too large or too deep for the parser: ${e.message}`, { file });
  }
  return e;
}

// ---------------------------------------------------------------------------
// Token rewriting

interface Rewritten {
  text: string;
  /** The string value standing for NaN, or null when no NaN token was rewritten. */
  nanSentinel: string | null;
}

/**
 * Candidate sentinel characters for NaN. A JSON string can only contain such a
 * control character if the text contains its `\u00XX` escape (raw control
 * characters are invalid in JSON strings), so a character whose escape does not
 * occur in the text cannot occur in any parsed string. Only escapes whose hex
 * digits are all decimal are used, so no upper/lower case question arises.
 */
const SENTINEL_CODES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19];

function pickNanSentinel(text: string): { literal: string; value: string } | null {
  for (const c of SENTINEL_CODES) {
    const hex = c.toString(16).padStart(4, "0");
    if (text.indexOf("\\u" + hex) === -1) return { literal: `"\\u${hex}"`, value: String.fromCharCode(c) };
  }
  return null;
}

function isJsonWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Previous non-whitespace char code before index `i` (or -1 at the start). */
function prevNonWs(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && isJsonWs(text.charCodeAt(j))) j--;
  return j < 0 ? -1 : text.charCodeAt(j);
}

/** Next non-whitespace char code at or after index `i` (or -1 at the end). */
function nextNonWs(text: string, i: number): number {
  let j = i;
  const n = text.length;
  while (j < n && isJsonWs(text.charCodeAt(j))) j++;
  return j >= n ? -1 : text.charCodeAt(j);
}

const C_QUOTE = 0x22;
const C_BACKSLASH = 0x5c;
const C_MINUS = 0x2d;

/**
 * Rewrite `NaN`, `Infinity`, `-Infinity` that stand outside strings in a value
 * position (preceded by start, `[`, `,` or `:` and followed by end, `,`, `]`
 * or `}`). Anything else is left alone, so an invalid document stays invalid
 * and the rewritten text can never be accepted where the original is not
 * tolerant JSON. Returns null when there is nothing to rewrite.
 */
function rewriteSpecialTokens(text: string, file: string | undefined): Rewritten | null {
  let nextNan = text.indexOf("NaN");
  let nextInf = text.indexOf("Infinity");
  if (nextNan === -1 && nextInf === -1) return null;

  const parts: string[] = [];
  let copied = 0; // text[0, copied) has been emitted into parts
  // String tracking: state at index `scanned` is `inString`.
  let scanned = 0;
  let inString = false;
  let nanSentinel: { literal: string; value: string } | null | undefined;
  let rewroteAny = false;
  let usedNan = false;

  const advanceTo = (target: number): void => {
    while (true) {
      const q = text.indexOf('"', scanned);
      if (q === -1 || q >= target) {
        scanned = target;
        return;
      }
      if (inString) {
        let k = 0;
        let j = q - 1;
        while (text.charCodeAt(j) === C_BACKSLASH) {
          k++;
          j--;
        }
        if ((k & 1) === 0) inString = false;
      } else {
        inString = true;
      }
      scanned = q + 1;
    }
  };

  while (nextNan !== -1 || nextInf !== -1) {
    const isNan = nextInf === -1 || (nextNan !== -1 && nextNan < nextInf);
    const at = isNan ? nextNan : nextInf;
    const len = isNan ? 3 : 8;
    if (isNan) nextNan = text.indexOf("NaN", at + 3);
    else nextInf = text.indexOf("Infinity", at + 8);

    advanceTo(at);
    if (inString) continue;

    let start = at;
    if (!isNan && at > 0 && text.charCodeAt(at - 1) === C_MINUS) start = at - 1;
    const before = prevNonWs(text, start);
    // before: start of text, '[', ',', ':'
    if (!(before === -1 || before === 0x5b || before === 0x2c || before === 0x3a)) continue;
    const end = at + len;
    const after = nextNonWs(text, end);
    // after: end of text, ',', ']', '}'
    if (!(after === -1 || after === 0x2c || after === 0x5d || after === 0x7d)) continue;

    let replacement: string;
    if (isNan) {
      if (nanSentinel === undefined) nanSentinel = pickNanSentinel(text);
      if (nanSentinel === null) {
        throw new CompileError(
          "E_UNSUPPORTED",
          "the JSON text uses NaN and also contains every control-character escape modelc could use internally",
          { file, ...lineColumnAt(text, at) },
          "rewrite NaN as null or remove the \\u0000-style escapes",
        );
      }
      replacement = nanSentinel.literal;
      usedNan = true;
    } else {
      replacement = start !== at ? "-1e999" : "1e999";
    }
    parts.push(text.slice(copied, start), replacement);
    copied = end;
    scanned = end; // the token contains no quote
    rewroteAny = true;
  }
  if (!rewroteAny) return null;
  parts.push(text.slice(copied));
  return { text: parts.join(""), nanSentinel: usedNan && nanSentinel ? nanSentinel.value : null };
}

// ---------------------------------------------------------------------------
// Post-parse walks (iterative: the tree may be deep)

function depthError(maxDepth: number, text: string, file: string | undefined): CompileError {
  // Re-scan the text to point at the place where the limit is exceeded.
  const found = validateTolerantJson(text, maxDepth);
  const loc = found ? lineColumnAt(text, found.pos) : {};
  return new CompileError("E_LIMIT", `JSON nesting deeper than ${maxDepth} levels`, { file, ...loc });
}

/**
 * Index of the first element that is not a number (or the length). Kept as a
 * separate small function so that its element loads only ever see number
 * arrays (SMI/double elements) and stay unboxed: a generic loop over a model's
 * millions of doubles would box each one and cost ~10x more (GC on a big heap).
 */
function firstNonNumber(a: unknown[]): number {
  const n = a.length;
  for (let i = 0; i < n; i++) if (typeof a[i] !== "number") return i;
  return n;
}

/**
 * Checks the nesting depth of a parsed document (iteratively: no recursion over the document's depth), and
 * replaces `sentinel` strings (the NaN/Infinity tokens rewritten before JSON.parse) by NaN; with no sentinel
 * it only checks the depth.
 */
function walkParsed(root: unknown, sentinel: string | undefined, maxDepth: number, text: string, file: string | undefined): unknown {
  if (root === sentinel) return NaN;
  if (typeof root !== "object" || root === null) return root;
  const stack: object[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const d = depths.pop()!;
    if (d > maxDepth) throw depthError(maxDepth, text, file);
    if (Array.isArray(node)) {
      for (let i = firstNonNumber(node); i < node.length; i++) {
        const v = node[i];
        if (typeof v === "object") {
          if (v !== null) {
            stack.push(v);
            depths.push(d + 1);
          }
        } else if (sentinel !== undefined && v === sentinel) {
          node[i] = NaN;
        }
      }
    } else {
      const obj = node as Record<string, unknown>;
      for (const k in obj) {
        const v = obj[k];
        if (typeof v === "object") {
          if (v !== null) {
            stack.push(v);
            depths.push(d + 1);
          }
        } else if (sentinel !== undefined && v === sentinel) {
          // The key may be "__proto__" (an own property created by JSON.parse):
          // plain assignment would change the prototype instead.
          Object.defineProperty(obj, k, { value: NaN, writable: true, enumerable: true, configurable: true });
        }
      }
    }
  }
  return root;
}

// ---------------------------------------------------------------------------
// Validator: finds the first error of tolerant JSON (never allocates per value)

export interface JsonProblem {
  /** Index into the text (after BOM removal) */
  pos: number;
  message: string;
  code: "E_PARSE" | "E_LIMIT";
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return `control character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return `character ${JSON.stringify(ch)}`;
}

function matchesAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i);
}

const ST_VALUE = 0;
const ST_AFTER = 1;
const ST_KEY = 2;

const K_ARRAY = 1;
const K_OBJECT = 2;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Validate tolerant JSON (JSON + NaN/Infinity/-Infinity). Returns the first
 * problem or null if the text is valid. Iterative, depth-limited.
 */
export function validateTolerantJson(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): JsonProblem | null {
  const n = text.length;
  let stack = new Uint8Array(64);
  let depth = 0;
  let i = 0;
  let state = ST_VALUE;
  const err = (pos: number, message: string): JsonProblem => ({ pos, message, code: "E_PARSE" });

  while (true) {
    while (i < n && isJsonWs(text.charCodeAt(i))) i++;
    if (state === ST_VALUE) {
      if (i >= n) return err(i, "unexpected end of input: expected a value");
      const c = text.charCodeAt(i);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (depth >= maxDepth) {
          return { pos: i, message: `nesting deeper than ${maxDepth} levels`, code: "E_LIMIT" };
        }
        if (depth === stack.length) {
          const bigger = new Uint8Array(stack.length * 2);
          bigger.set(stack);
          stack = bigger;
        }
        const kind = c === 0x7b ? K_OBJECT : K_ARRAY;
        stack[depth++] = kind;
        i++;
        while (i < n && isJsonWs(text.charCodeAt(i))) i++;
        const close = kind === K_OBJECT ? 0x7d : 0x5d;
        if (i < n && text.charCodeAt(i) === close) {
          depth--;
          i++;
          state = ST_AFTER;
        } else {
          state = kind === K_OBJECT ? ST_KEY : ST_VALUE;
        }
        continue;
      }
      if (c === C_QUOTE) {
        const r = scanString(text, i);
        if (typeof r !== "number") return r;
        i = r;
      } else if (c === C_MINUS || isDigit(c)) {
        if (c === C_MINUS && matchesAt(text, i + 1, "Infinity")) {
          i += 9;
        } else {
          const r = scanNumber(text, i);
          if (typeof r !== "number") return r;
          i = r;
        }
      } else if (matchesAt(text, i, "true")) i += 4;
      else if (matchesAt(text, i, "false")) i += 5;
      else if (matchesAt(text, i, "null")) i += 4;
      else if (matchesAt(text, i, "NaN")) i += 3;
      else if (matchesAt(text, i, "Infinity")) i += 8;
      else if (c === 0x5d /* ] */ && depth > 0 && stack[depth - 1] === K_ARRAY) {
        return err(i, "unexpected ']': expected a value (trailing comma?)");
      } else {
        return err(i, `unexpected ${describeChar(text, i)}: expected a value`);
      }
      state = ST_AFTER;
      continue;
    }
    if (state === ST_AFTER) {
      if (depth === 0) {
        if (i >= n) return null;
        return err(i, `unexpected ${describeChar(text, i)} after the end of the JSON value`);
      }
      const kind = stack[depth - 1];
      if (i >= n) {
        return err(i, `unexpected end of input: expected ',' or '${kind === K_ARRAY ? "]" : "}"}'`);
      }
      const c = text.charCodeAt(i);
      if (c === 0x2c /* , */) {
        i++;
        state = kind === K_OBJECT ? ST_KEY : ST_VALUE;
        if (kind === K_OBJECT) {
          while (i < n && isJsonWs(text.charCodeAt(i))) i++;
          if (i < n && text.charCodeAt(i) === 0x7d) return err(i, "unexpected '}': expected a property name (trailing comma?)");
        }
        continue;
      }
      if ((kind === K_ARRAY && c === 0x5d) || (kind === K_OBJECT && c === 0x7d)) {
        depth--;
        i++;
        continue;
      }
      return err(i, `unexpected ${describeChar(text, i)}: expected ',' or '${kind === K_ARRAY ? "]" : "}"}'`);
    }
    // ST_KEY
    if (i >= n) return err(i, "unexpected end of input: expected a property name");
    if (text.charCodeAt(i) !== C_QUOTE) return err(i, `unexpected ${describeChar(text, i)}: expected a double-quoted property name`);
    const r = scanString(text, i);
    if (typeof r !== "number") return r;
    i = r;
    while (i < n && isJsonWs(text.charCodeAt(i))) i++;
    if (i >= n) return err(i, "unexpected end of input: expected ':'");
    if (text.charCodeAt(i) !== 0x3a) return err(i, `unexpected ${describeChar(text, i)}: expected ':' after the property name`);
    i++;
    state = ST_VALUE;
  }
}

/** Scan a string starting at the opening quote; returns the index after the closing quote. */
function scanString(text: string, start: number): number | JsonProblem {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C_QUOTE) return i + 1;
    if (c === C_BACKSLASH) {
      if (i + 1 >= n) break;
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        for (let k = 2; k < 6; k++) {
          if (i + k >= n) return { pos: start, message: "unterminated string", code: "E_PARSE" };
          if (!isHex(text.charCodeAt(i + k))) {
            return { pos: i, message: "bad \\u escape in string: expected 4 hex digits", code: "E_PARSE" };
          }
        }
        i += 6;
        continue;
      }
      if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
        continue;
      }
      return { pos: i, message: `bad escape sequence in string: \\${String.fromCodePoint(text.codePointAt(i + 1)!)}`, code: "E_PARSE" };
    }
    if (c < 0x20) {
      return {
        pos: i,
        message: `unescaped ${describeChar(text, i)} in string${c === 0x0a ? " (unterminated string?)" : ""}`,
        code: "E_PARSE",
      };
    }
    i++;
  }
  return { pos: start, message: "unterminated string", code: "E_PARSE" };
}

/** Scan a JSON number; returns the index after it. */
function scanNumber(text: string, start: number): number | JsonProblem {
  const n = text.length;
  let i = start;
  if (text.charCodeAt(i) === C_MINUS) i++;
  if (i >= n || !isDigit(text.charCodeAt(i))) {
    return { pos: i, message: "no digits after '-' in number", code: "E_PARSE" };
  }
  if (text.charCodeAt(i) === 0x30) {
    i++;
    if (i < n && isDigit(text.charCodeAt(i))) return { pos: i, message: "leading zeros are not allowed in JSON numbers", code: "E_PARSE" };
  } else {
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < n && text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    if (i >= n || !isDigit(text.charCodeAt(i))) return { pos: i, message: "no digits after '.' in number", code: "E_PARSE" };
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < n && (text.charCodeAt(i) | 0x20) === 0x65 /* e E */) {
    i++;
    if (i < n && (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === C_MINUS)) i++;
    if (i >= n || !isDigit(text.charCodeAt(i))) return { pos: i, message: "no digits in the exponent of number", code: "E_PARSE" };
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/** Build the CompileError for text that the native parser rejected. */
function locateError(text: string, file: string | undefined, maxDepth: number): CompileError {
  const problem = validateTolerantJson(text, maxDepth);
  if (problem) {
    return new CompileError(problem.code, problem.message, { file, ...lineColumnAt(text, problem.pos) });
  }
  // Should not happen: our validator accepts what JSON.parse rejects. Report
  // the native message (and its position when it has one).
  let message = "invalid JSON";
  let pos: number | undefined;
  try {
    JSON.parse(text);
  } catch (e) {
    if (e instanceof Error) {
      message = e.message;
      const m = /at position (\d+)/.exec(e.message);
      if (m) pos = Number(m[1]);
    }
  }
  return new CompileError("E_PARSE", message, { file, ...(pos !== undefined ? lineColumnAt(text, pos) : {}) });
}
