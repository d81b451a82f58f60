// A small UBJSON (Draft 12) encoder for tests only.
//
// Plain JS values are encoded with the smallest fitting marker. Wrapper classes
// force specific encodings: typed/counted containers, a given integer marker,
// float32, char, high-precision numbers, and no-op markers.

export type EncValue = null | boolean | number | string | EncValue[] | { [key: string]: EncValue } | Typed | Counted | Int | F32 | Char | HighPrecision | Noop;

/** `[$<type>#<count>` array or `{$<type>#<count>` object: elements without markers. */
export class Typed {
  constructor(
    readonly type: string,
    readonly values: EncValue[] | { [key: string]: EncValue },
    readonly countMarker: IntMarker = "L",
  ) {}
}
/** `[#<count>` / `{#<count>`: counted, untyped, no end marker. */
export class Counted {
  constructor(
    readonly values: EncValue[] | { [key: string]: EncValue },
    readonly countMarker: IntMarker = "i",
  ) {}
}
export type IntMarker = "i" | "U" | "I" | "l" | "L";
export class Int {
  constructor(
    readonly marker: IntMarker,
    readonly value: number | bigint,
  ) {}
}
export class F32 {
  constructor(readonly value: number) {}
}
export class Char {
  constructor(readonly value: string) {}
}
export class HighPrecision {
  constructor(readonly text: string) {}
}
/** A value preceded by `count` no-op markers. */
export class Noop {
  constructor(
    readonly value: EncValue,
    readonly count = 1,
  ) {}
}

class Out {
  buf = new Uint8Array(256);
  dv = new DataView(this.buf.buffer);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  marker(m: string): void {
    this.byte(m.charCodeAt(0));
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

function intPayload(out: Out, marker: IntMarker, v: number | bigint): void {
  const n = typeof v === "bigint" ? v : BigInt(v);
  switch (marker) {
    case "i":
      out.ensure(1);
      out.dv.setInt8(out.len, Number(n));
      out.len += 1;
      break;
    case "U":
      out.ensure(1);
      out.dv.setUint8(out.len, Number(n));
      out.len += 1;
      break;
    case "I":
      out.ensure(2);
      out.dv.setInt16(out.len, Number(n), false);
      out.len += 2;
      break;
    case "l":
      out.ensure(4);
      out.dv.setInt32(out.len, Number(n), false);
      out.len += 4;
      break;
    case "L":
      out.ensure(8);
      out.dv.setBigInt64(out.len, n, false);
      out.len += 8;
      break;
  }
}

function smallestIntMarker(v: number): IntMarker {
  if (v >= -128 && v <= 127) return "i";
  if (v >= 0 && v <= 255) return "U";
  if (v >= -32768 && v <= 32767) return "I";
  if (v >= -2147483648 && v <= 2147483647) return "l";
  return "L";
}

function length(out: Out, n: number): void {
  const m = smallestIntMarker(n);
  out.marker(m);
  intPayload(out, m, n);
}

const textEncoder = new TextEncoder();

function stringBody(out: Out, s: string): void {
  const b = textEncoder.encode(s);
  length(out, b.length);
  out.bytes(b);
}

/** Marker for a plain value (used both for untyped elements and typed element checks). */
function write(out: Out, v: EncValue, withMarker: boolean, forcedType?: string): void {
  const m = (c: string): void => {
    if (withMarker) out.marker(c);
  };
  if (v instanceof Noop) {
    for (let i = 0; i < v.count; i++) out.marker("N");
    write(out, v.value, withMarker, forcedType);
    return;
  }
  if (forcedType !== undefined) {
    writeAs(out, v, forcedType);
    return;
  }
  if (v === null || v === true || v === false) {
    m(v === null ? "Z" : v ? "T" : "F");
    return;
  }
  if (typeof v === "number") {
    if (Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
      const im = smallestIntMarker(v);
      m(im);
      intPayload(out, im, v);
    } else {
      m("D");
      out.ensure(8);
      out.dv.setFloat64(out.len, v, false);
      out.len += 8;
    }
    return;
  }
  if (typeof v === "string") {
    m("S");
    stringBody(out, v);
    return;
  }
  if (v instanceof Int) {
    m(v.marker);
    intPayload(out, v.marker, v.value);
    return;
  }
  if (v instanceof F32) {
    m("d");
    writeAs(out, v.value, "d");
    return;
  }
  if (v instanceof Char) {
    m("C");
    writeAs(out, v.value, "C");
    return;
  }
  if (v instanceof HighPrecision) {
    m("H");
    stringBody(out, v.text);
    return;
  }
  if (v instanceof Typed || v instanceof Counted) {
    const isArray = Array.isArray(v.values);
    m(isArray ? "[" : "{");
    if (v instanceof Typed) {
      out.marker("$");
      out.marker(v.type);
    }
    out.marker("#");
    const entries = isArray ? (v.values as EncValue[]).map((x) => [null, x] as const) : Object.entries(v.values);
    out.marker(v.countMarker);
    intPayload(out, v.countMarker, entries.length);
    for (const [k, x] of entries) {
      if (k !== null) stringBody(out, k);
      write(out, x, !(v instanceof Typed), v instanceof Typed ? v.type : undefined);
    }
    return;
  }
  if (Array.isArray(v)) {
    m("[");
    for (const x of v) write(out, x, true);
    out.marker("]");
    return;
  }
  m("{");
  for (const [k, x] of Object.entries(v)) {
    stringBody(out, k);
    write(out, x, true);
  }
  out.marker("}");
}

/** Payload of `v` as type `t` (no marker): used for `$`-typed containers. */
function writeAs(out: Out, v: EncValue, t: string): void {
  switch (t) {
    case "Z":
    case "T":
    case "F":
      return;
    case "i":
    case "U":
    case "I":
    case "l":
    case "L":
      intPayload(out, t, v instanceof Int ? v.value : (v as number));
      return;
    case "d":
      out.ensure(4);
      out.dv.setFloat32(out.len, v instanceof F32 ? v.value : (v as number), false);
      out.len += 4;
      return;
    case "D":
      out.ensure(8);
      out.dv.setFloat64(out.len, v as number, false);
      out.len += 8;
      return;
    case "C":
      out.byte((v instanceof Char ? v.value : (v as string)).charCodeAt(0));
      return;
    case "S":
      stringBody(out, v as string);
      return;
    case "H":
      stringBody(out, v instanceof HighPrecision ? v.text : String(v));
      return;
    case "[":
    case "{":
      // element is a container written without its leading marker
      write(out, v, false);
      return;
    default:
      throw new Error(`encoder: unknown type ${t}`);
  }
}

export function encodeUbjson(v: EncValue): Uint8Array {
  const out = new Out();
  write(out, v, true);
  return out.buf.slice(0, out.len);
}

/** Bytes from a template of markers/strings and raw numbers, for hand-made malformed inputs. */
export function bytesOf(...parts: (string | number | number[])[]): Uint8Array {
  const arr: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") for (const c of p) arr.push(c.charCodeAt(0));
    else if (typeof p === "number") arr.push(p);
    else arr.push(...p);
  }
  return Uint8Array.from(arr);
}
