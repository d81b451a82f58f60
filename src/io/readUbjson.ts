// UBJSON (Draft 12) decoder, as written by XGBoost's `save_model("m.ubj")`.
//
// Markers: Z N T F i U I l L d D C S H [ ] { } and optimized containers
// (`$` element type + `#` count, or `#` count alone). Big-endian.
// Iterative (explicit stack), so nesting depth cannot overflow the JS stack;
// every count/length is checked against the bytes left before anything is
// allocated, so hostile counts fail fast instead of hanging.

import { CompileError, jsonPath } from "../errors.ts";

export interface UbjsonReadOptions {
  /** Deepest allowed nesting of arrays/objects; deeper input gives E_LIMIT. Default 10000. */
  maxDepth?: number;
  /**
   * Total number of elements allowed in typed containers whose elements take
   * no bytes (`[$Z#...`, `[$T#...`, `[$F#...`), which a small hostile file
   * could otherwise use to request billions of values. Default 16,777,216.
   */
  maxZeroSizeElements?: number;
  /** Most elements of one array or object (V8 arrays end near 2^27 elements). Default 100,000,000. */
  maxElements?: number;
}

/** Most elements of one UBJSON container, and of values in one JSON document (readJsonBytes). */
export const DEFAULT_MAX_ELEMENTS = 100_000_000;

export const DEFAULT_MAX_UBJSON_DEPTH = 10_000;

// Markers
const M_NULL = 0x5a; // Z
const M_NOOP = 0x4e; // N
const M_TRUE = 0x54; // T
const M_FALSE = 0x46; // F
const M_INT8 = 0x69; // i
const M_UINT8 = 0x55; // U
const M_INT16 = 0x49; // I
const M_INT32 = 0x6c; // l
const M_INT64 = 0x4c; // L
const M_FLOAT32 = 0x64; // d
const M_FLOAT64 = 0x44; // D
const M_HIGH = 0x48; // H
const M_CHAR = 0x43; // C
const M_STRING = 0x53; // S
const M_ARRAY = 0x5b; // [
const M_ARRAY_END = 0x5d; // ]
const M_OBJECT = 0x7b; // {
const M_OBJECT_END = 0x7d; // }
const M_TYPE = 0x24; // $
const M_COUNT = 0x23; // #

/** Bytes taken by one value of a type (after the marker); strings etc.: their minimum. */
function minPayload(type: number): number {
  switch (type) {
    case M_NULL:
    case M_TRUE:
    case M_FALSE:
      return 0;
    case M_INT8:
    case M_UINT8:
    case M_CHAR:
      return 1;
    case M_INT16:
      return 2;
    case M_INT32:
    case M_FLOAT32:
      return 4;
    case M_INT64:
    case M_FLOAT64:
      return 8;
    case M_STRING:
    case M_HIGH:
      return 2; // length marker + at least one length byte
    case M_ARRAY:
    case M_OBJECT:
      return 1; // at least the end marker or a header
    default:
      return -1;
  }
}

function markerName(b: number): string {
  const hex = "0x" + b.toString(16).padStart(2, "0");
  return b >= 0x21 && b <= 0x7e ? `'${String.fromCharCode(b)}' (${hex})` : hex;
}

interface Frame {
  isObject: boolean;
  array: unknown[] | null;
  object: Record<string, unknown> | null;
  /** element type marker of a `$`-typed container, 0 if untyped */
  type: number;
  /** elements still to read in a `#`-counted container, -1 when ended by a marker */
  remaining: number;
  /** key of the value being read (objects) */
  key: string | null;
}

const PENDING: unique symbol = Symbol("pending");

const HIGH_PRECISION_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

class UbjsonDecoder {
  private readonly bytes: Uint8Array;
  private readonly dv: DataView;
  private readonly end: number;
  private pos = 0;
  private readonly stack: Frame[] = [];
  private readonly maxDepth: number;
  private zeroBudget: number;
  private readonly maxElements: number;
  private readonly file: string | undefined;
  /** set while a typed array is being read without a frame, for error paths */
  private elementIndex = -1;

  constructor(bytes: Uint8Array, file: string | undefined, options: UbjsonReadOptions) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.length;
    this.file = file;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_UBJSON_DEPTH;
    this.zeroBudget = options.maxZeroSizeElements ?? 16_777_216;
    this.maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  }

  // ---- errors ------------------------------------------------------------

  private path(): string {
    const segs: (string | number)[] = [];
    for (const f of this.stack) {
      if (f.isObject) {
        if (f.key === null) break;
        segs.push(f.key);
      } else {
        segs.push(f.array!.length);
      }
    }
    return jsonPath(segs);
  }

  private fail(message: string, offset: number = this.pos, code: "E_PARSE" | "E_LIMIT" | "E_UNSUPPORTED" = "E_PARSE"): CompileError {
    const elem = this.elementIndex >= 0 ? ` (element ${this.elementIndex})` : "";
    return new CompileError(code, `${message}${elem} at byte offset ${offset}`, { file: this.file, path: this.path() });
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw this.fail(`truncated input: ${what} needs ${n} bytes, only ${this.end - this.pos} left`);
    }
  }

  // ---- primitives -----------------------------------------------------------

  private readMarkerSkippingNoop(what: string): number {
    while (true) {
      if (this.pos >= this.end) throw this.fail(`truncated input: expected ${what}`);
      const b = this.bytes[this.pos++]!;
      if (b !== M_NOOP) return b;
    }
  }

  /** Integer value of the given integer marker (marker already consumed). */
  private readInt(marker: number, what: string): number {
    const p = this.pos;
    switch (marker) {
      case M_INT8:
        this.need(1, what);
        this.pos += 1;
        return this.dv.getInt8(p);
      case M_UINT8:
        this.need(1, what);
        this.pos += 1;
        return this.bytes[p]!;
      case M_INT16:
        this.need(2, what);
        this.pos += 2;
        return this.dv.getInt16(p, false);
      case M_INT32:
        this.need(4, what);
        this.pos += 4;
        return this.dv.getInt32(p, false);
      case M_INT64:
        this.need(8, what);
        this.pos += 8;
        return this.int64At(p);
      default:
        throw this.fail(`expected an integer marker (i U I l L) for ${what}, found ${markerName(marker)}`, p - 1);
    }
  }

  private int64At(p: number): number {
    const hi = this.dv.getInt32(p, false);
    const lo = this.dv.getUint32(p + 4, false);
    // exact in a double iff hi in [-2^21, 2^21): value in [-2^53, 2^53)
    if (hi < -0x200000 || hi > 0x1fffff) {
      const big = this.dv.getBigInt64(p, false);
      throw this.fail(`int64 value ${big} is outside ±2^53 and cannot be represented exactly`, p, "E_UNSUPPORTED");
    }
    return hi * 4294967296 + lo;
  }

  /** A non-negative length/count: integer marker + value. */
  private readLength(what: string): number {
    const at = this.pos;
    if (this.pos >= this.end) throw this.fail(`truncated input: expected the ${what}`);
    const m = this.bytes[this.pos++]!;
    const n = this.readInt(m, what);
    if (n < 0) throw this.fail(`negative ${what} ${n}`, at);
    return n;
  }

  private readStringBody(what: string): string {
    const at = this.pos;
    const len = this.readLength(`${what} length`);
    if (len > this.end - this.pos) {
      throw this.fail(`${what} length ${len} exceeds the ${this.end - this.pos} bytes left (length at byte offset ${at})`);
    }
    const start = this.pos;
    this.pos += len;
    return this.decodeUtf8(start, len);
  }

  private decodeUtf8(start: number, len: number): string {
    const bytes = this.bytes;
    if (len <= 64) {
      let s = "";
      let i = 0;
      for (; i < len; i++) {
        const b = bytes[start + i]!;
        if (b >= 0x80) break;
        s += String.fromCharCode(b);
      }
      if (i === len) return s;
    }
    try {
      return utf8.decode(bytes.subarray(start, start + len));
    } catch {
      throw this.fail(`invalid UTF-8 in string of ${len} bytes`, start);
    }
  }

  // ---- values ----------------------------------------------------------------

  /**
   * Read the value whose marker was just consumed (at offset pos-1). Scalars
   * and typed scalar arrays are returned; other containers push a frame and
   * return PENDING.
   */
  private readValue(marker: number): unknown {
    const p = this.pos;
    const dv = this.dv;
    switch (marker) {
      case M_NULL:
        return null;
      case M_TRUE:
        return true;
      case M_FALSE:
        return false;
      case M_INT8:
        this.need(1, "int8");
        this.pos = p + 1;
        return dv.getInt8(p);
      case M_UINT8:
        this.need(1, "uint8");
        this.pos = p + 1;
        return this.bytes[p]!;
      case M_INT16:
        this.need(2, "int16");
        this.pos = p + 2;
        return dv.getInt16(p, false);
      case M_INT32:
        this.need(4, "int32");
        this.pos = p + 4;
        return dv.getInt32(p, false);
      case M_INT64:
        this.need(8, "int64");
        this.pos = p + 8;
        return this.int64At(p);
      case M_FLOAT32:
        this.need(4, "float32");
        this.pos = p + 4;
        return dv.getFloat32(p, false);
      case M_FLOAT64:
        this.need(8, "float64");
        this.pos = p + 8;
        return dv.getFloat64(p, false);
      case M_CHAR: {
        this.need(1, "char");
        const b = this.bytes[p]!;
        if (b > 0x7f) throw this.fail(`char value ${markerName(b)} is not ASCII`, p);
        this.pos = p + 1;
        return String.fromCharCode(b);
      }
      case M_STRING:
        return this.readStringBody("string");
      case M_HIGH: {
        const s = this.readStringBody("high-precision number");
        if (!HIGH_PRECISION_RE.test(s)) {
          throw this.fail(`high-precision number ${JSON.stringify(s.slice(0, 40))} is not a valid number`, p - 1);
        }
        return Number(s);
      }
      case M_ARRAY:
      case M_OBJECT:
        return this.openContainer(marker === M_OBJECT);
      default:
        throw this.fail(`unexpected marker ${markerName(marker)}`, p - 1);
    }
  }

  /** Parse a container header after `[` or `{`. */
  private openContainer(isObject: boolean): unknown {
    const headerAt = this.pos - 1;
    if (this.stack.length >= this.maxDepth) {
      throw this.fail(`nesting deeper than ${this.maxDepth} levels`, headerAt, "E_LIMIT");
    }
    let type = 0;
    let count = -1;
    if (this.pos < this.end && this.bytes[this.pos] === M_TYPE) {
      this.pos++;
      if (this.pos >= this.end) throw this.fail("truncated input: expected the element type after '$'");
      type = this.bytes[this.pos++]!;
      if (minPayload(type) < 0) throw this.fail(`invalid element type ${markerName(type)} after '$'`, this.pos - 1);
      if (this.pos >= this.end || this.bytes[this.pos] !== M_COUNT) {
        throw this.fail("a '$' element type must be followed by a '#' count", this.pos);
      }
    }
    if (this.pos < this.end && this.bytes[this.pos] === M_COUNT) {
      this.pos++;
      const countAt = this.pos;
      count = this.readLength("container count");
      const left = this.end - this.pos;
      // every element takes at least this many bytes
      let per = type === 0 ? 1 : minPayload(type);
      if (isObject) per += 2; // key: length marker + length
      if (per === 0) {
        this.zeroBudget -= count;
        if (this.zeroBudget < 0) {
          throw this.fail(`typed container of ${count} zero-size elements exceeds the element limit`, countAt, "E_LIMIT");
        }
      } else if (count > Math.floor(left / per)) {
        throw this.fail(`container count ${count} exceeds what the ${left} bytes left can hold (count at byte offset ${countAt})`, headerAt);
      }
      // the bytes are there, but V8 cannot hold that many elements in one array
      if (count > this.maxElements)
        throw this.fail(`container count ${count} is over the limit of ${this.maxElements} elements (count at byte offset ${countAt})`, headerAt, "E_LIMIT");
    }
    if (!isObject && type !== 0 && type !== M_ARRAY && type !== M_OBJECT) {
      return this.readTypedArray(type, count);
    }
    const frame: Frame = {
      isObject,
      array: isObject ? null : [],
      object: isObject ? {} : null,
      type,
      remaining: count,
      key: null,
    };
    this.stack.push(frame);
    return PENDING;
  }

  /** `[$T#n` with a scalar T: read all elements in one tight loop. */
  private readTypedArray(type: number, count: number): unknown[] {
    const dv = this.dv;
    const bytes = this.bytes;
    let p = this.pos;
    // preallocated (not push): about twice as fast and no garbage from growth
    const out: unknown[] = new Array(count);
    switch (type) {
      case M_FLOAT32:
        for (let i = 0; i < count; i++, p += 4) out[i] = dv.getFloat32(p, false);
        break;
      case M_FLOAT64:
        for (let i = 0; i < count; i++, p += 8) out[i] = dv.getFloat64(p, false);
        break;
      case M_INT32:
        for (let i = 0; i < count; i++, p += 4) out[i] = dv.getInt32(p, false);
        break;
      case M_UINT8:
        for (let i = 0; i < count; i++, p += 1) out[i] = bytes[p];
        break;
      case M_INT8:
        for (let i = 0; i < count; i++, p += 1) out[i] = dv.getInt8(p);
        break;
      case M_INT16:
        for (let i = 0; i < count; i++, p += 2) out[i] = dv.getInt16(p, false);
        break;
      case M_INT64:
        for (let i = 0; i < count; i++, p += 8) {
          const hi = dv.getInt32(p, false);
          if (hi < -0x200000 || hi > 0x1fffff) {
            this.elementIndex = i;
            this.int64At(p); // throws with the details
          }
          out[i] = hi * 4294967296 + dv.getUint32(p + 4, false);
        }
        break;
      case M_NULL:
        for (let i = 0; i < count; i++) out[i] = null;
        break;
      case M_TRUE:
        for (let i = 0; i < count; i++) out[i] = true;
        break;
      case M_FALSE:
        for (let i = 0; i < count; i++) out[i] = false;
        break;
      default:
        // C, S, H: variable or checked elements, one at a time
        for (let i = 0; i < count; i++) {
          this.elementIndex = i;
          out[i] = this.readValue(type);
        }
        this.elementIndex = -1;
        return out;
    }
    // the count check in openContainer guarantees these bytes were present
    this.pos = p;
    return out;
  }

  private attach(value: unknown): boolean {
    const stack = this.stack;
    if (stack.length === 0) return true;
    const f = stack[stack.length - 1]!;
    if (f.isObject) {
      const key = f.key!;
      if (key === "__proto__") {
        Object.defineProperty(f.object, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        f.object![key] = value;
      }
      f.key = null;
    } else {
      if (f.array!.length >= this.maxElements) throw this.fail(`array of more than ${this.maxElements} elements`, this.pos, "E_LIMIT");
      f.array!.push(value);
    }
    return false;
  }

  decode(): unknown {
    if (this.end === 0) throw this.fail("empty input");
    const stack = this.stack;
    let root: unknown;
    const first = this.readMarkerSkippingNoop("a value");
    root = this.readValue(first);
    if (root === PENDING) {
      while (true) {
        const f = stack[stack.length - 1]!;
        let done: boolean;
        if (f.remaining >= 0) {
          done = f.remaining === 0;
        } else {
          // skip no-ops, then look for the end marker
          while (this.pos < this.end && this.bytes[this.pos] === M_NOOP) this.pos++;
          if (this.pos >= this.end) {
            throw this.fail(`truncated input: unterminated ${f.isObject ? "object" : "array"}`);
          }
          done = this.bytes[this.pos] === (f.isObject ? M_OBJECT_END : M_ARRAY_END);
          if (done) this.pos++;
        }
        if (done) {
          stack.pop();
          const v = f.isObject ? f.object : f.array;
          if (this.attach(v)) {
            root = v;
            break;
          }
          continue;
        }
        if (f.remaining > 0) f.remaining--;
        if (f.isObject) f.key = this.readStringBody("object key");
        let marker: number;
        if (f.type !== 0) {
          marker = f.type;
        } else {
          marker = this.readMarkerSkippingNoop(f.isObject ? "a property value" : "an array element or ']'");
          if (marker === M_ARRAY_END || marker === M_OBJECT_END) {
            throw this.fail(`unexpected end marker ${markerName(marker)}`, this.pos - 1);
          }
        }
        const v = this.readValue(marker);
        if (v !== PENDING) this.attach(v);
      }
    }
    while (this.pos < this.end && this.bytes[this.pos] === M_NOOP) this.pos++;
    if (this.pos < this.end) {
      throw this.fail(`unexpected ${this.end - this.pos} trailing bytes after the value`);
    }
    return root;
  }
}

/**
 * Decode UBJSON (Draft 12). Returns plain objects/arrays; numbers (all integer
 * and float types, `H`) as JS numbers. Errors: E_PARSE (with the JSON path of
 * the value being read in `path` and the byte offset in the message),
 * E_UNSUPPORTED for int64 values outside ±2^53, E_LIMIT for resource limits.
 */
export function parseUbjson(bytes: Uint8Array, file?: string, options: UbjsonReadOptions = {}): unknown {
  return new UbjsonDecoder(bytes, file, options).decode();
}
