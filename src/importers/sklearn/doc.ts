// Reading modelc_export's JSON (python/modelc_export/FORMAT.md): the envelope through a strict zod
// schema, then typed access to an estimator's params and attributes with JSON paths in every error.

import { inflateSync } from "node:zlib";
import { z } from "zod";
import { CompileError, jsonPath } from "../../errors.ts";
import { defaultMaxModelBytes, MODEL_BYTES_PER_FILE_BYTE } from "../importOptions.ts";
import { describe, parseWith } from "../zodHelpers.ts";

export const SKLEARN_FORMAT = "modelc-sklearn";
/** Newest layout this importer reads (2: binary arrays). */
export const SKLEARN_FORMAT_VERSION = 2;

export function sklearnSchemas(strict: boolean) {
  const obj = <S extends z.ZodRawShape>(shape: S) => (strict ? z.strictObject(shape) : z.looseObject(shape));
  const envelope = obj({
    format: z.literal(SKLEARN_FORMAT),
    format_version: z.number().int(),
    exporter_version: z.string(),
    versions: z.looseObject({ sklearn: z.string(), numpy: z.string().optional(), scipy: z.string().optional() }),
    estimator: z.unknown(),
  });
  const estimator = obj({
    class: z.string(),
    module: z.string(),
    params: z.record(z.string(), z.unknown()),
    attrs: z.record(z.string(), z.unknown()),
  });
  return { envelope, estimator };
}

export interface NdArray {
  dtype: string;
  shape: number[];
  /** the elements (binary arrays: made from `values` when first read) */
  data: unknown[];
  /** binary arrays (format version 2): the decoded elements, bool as 0/1 */
  values?: ArrayLike<number>;
}

type Seg = string | number;

/** Context shared by every estimator of one document. */
export interface DocContext {
  file?: string;
  strict: boolean;
  /** scikit-learn version as [major, minor, patch] */
  sklearn: number[];
  scipy: number[];
  /** bytes the model may still decode (binary arrays reserve their declared size before decoding) */
  budget: ModelBudget;
  /** most training values a neighbors model may store (--max-neighbors-table) */
  maxNeighborsTable?: number;
}

export interface ModelBudget {
  limit: number;
  left: number;
  /** the limit was given (--max-model-bytes), not the default */
  given: boolean;
}

export function modelBudget(maxModelBytes: number | undefined, sourceBytes: number): ModelBudget {
  const limit = maxModelBytes ?? defaultMaxModelBytes(sourceBytes);
  return { limit, left: limit - sourceBytes, given: maxModelBytes !== undefined };
}

function mib(n: number): string {
  if (n < 2 ** 20) return `${n} bytes`;
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
}

export function parseVersion(s: string | undefined): number[] {
  if (!s) return [0, 0, 0];
  return s
    .split(/[.+-]/)
    .slice(0, 3)
    .map((p) => Number.parseInt(p, 10) || 0);
}

export function atLeast(v: number[], major: number, minor: number): boolean {
  return v[0]! > major || (v[0] === major && v[1]! >= minor);
}

/** One estimator of the document with typed, path-aware accessors. */
export class Est {
  readonly cls: string;
  readonly params: Record<string, unknown>;
  readonly attrs: Record<string, unknown>;

  constructor(
    value: unknown,
    readonly ctx: DocContext,
    readonly path: Seg[],
  ) {
    const S = sklearnSchemas(ctx.strict);
    const e = parseWith(S.estimator, value, ctx.file, path);
    this.cls = e.class;
    this.params = e.params;
    this.attrs = e.attrs;
  }

  fail(msg: string, at: Seg[] = [], code: "E_SCHEMA" | "E_SHAPE" | "E_UNSUPPORTED" = "E_SCHEMA", hint?: string): never {
    throw new CompileError(code, msg, { file: this.ctx.file, path: jsonPath([...this.path, ...at]) }, hint);
  }

  unsupported(msg: string, at: Seg[] = [], hint?: string): never {
    return this.fail(`${this.cls}: ${msg}`, at, "E_UNSUPPORTED", hint);
  }

  has(name: string): boolean {
    return this.attrs[name] !== undefined && this.attrs[name] !== null;
  }

  attr(name: string): unknown {
    const v = this.attrs[name];
    if (v === undefined) this.fail(`missing attribute ${JSON.stringify(name)}`, ["attrs"]);
    return v;
  }

  param(name: string): unknown {
    return this.params[name];
  }

  paramString(name: string, fallback?: string): string {
    const v = this.params[name];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "string") this.fail(`expected a string, got ${describe(v)}`, ["params", name]);
    return v as string;
  }

  paramNumber(name: string, fallback?: number): number {
    const v = this.params[name];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== "number") this.fail(`expected a number, got ${describe(v)}`, ["params", name]);
    return v as number;
  }

  number(name: string): number {
    const v = this.attr(name);
    if (typeof v !== "number") this.fail(`expected a number, got ${describe(v)}`, ["attrs", name]);
    return v as number;
  }

  /** n_features_in_, checked where it is read (the IR's limit: 1..2^24 features). */
  nFeatures(): number {
    const n = this.number("n_features_in_");
    if (!Number.isInteger(n) || n < 1 || n > 1 << 24)
      this.fail(`number of features must be an integer in 1..${1 << 24}, got ${n}`, ["attrs", "n_features_in_"], "E_SHAPE");
    return n;
  }

  /** An ndarray attribute (or a nested value at `at`) checked for dtype kind and rank. */
  array(name: string, rank?: number): NdArray {
    return readArray(this.attr(name), this, ["attrs", name], rank);
  }

  numbers(name: string, rank?: number): number[] {
    return numericData(this.array(name, rank), this, ["attrs", name]);
  }

  /** A nested fitted estimator attribute. */
  estimator(name: string): Est {
    return nestedEstimator(this.attr(name), this, ["attrs", name]);
  }

  /** A list of nested estimators (a Python list or an object ndarray), flattened in order. */
  estimators(name: string): Est[] {
    const v = this.attr(name);
    const at: Seg[] = ["attrs", name];
    if (Array.isArray(v)) return v.map((e, i) => nestedEstimator(e, this, [...at, i]));
    const a = readArray(v, this, at);
    if (a.dtype !== "object") this.fail(`expected estimators, got an array of ${a.dtype}`, at);
    return a.data.map((e, i) => nestedEstimator(e, this, [...at, "ndarray", "data", i]));
  }

  /** Class labels (numbers or strings). */
  classes(name = "classes_"): (number | string)[] {
    const a = this.array(name, 1);
    return a.data.map((c, i) => {
      if (typeof c === "number" || typeof c === "string") return c;
      if (typeof c === "boolean") return c ? 1 : 0;
      return this.fail(`class label must be a number or a string, got ${describe(c)}`, ["attrs", name, "ndarray", "data", i]);
    });
  }

  featureNames(): string[] | undefined {
    if (!this.has("feature_names_in_")) return undefined;
    const a = this.array("feature_names_in_", 1);
    return a.data.map((s) => String(s));
  }
}

export function nestedEstimator(v: unknown, owner: Est, at: Seg[]): Est {
  if (typeof v !== "object" || v === null || !("estimator" in v)) owner.fail(`expected a fitted estimator, got ${describe(v)}`, at);
  return new Est((v as { estimator: unknown }).estimator, owner.ctx, [...owner.path, ...at, "estimator"]);
}

export function readArray(v: unknown, owner: Est, at: Seg[], rank?: number): NdArray {
  if (typeof v !== "object" || v === null || !("ndarray" in v)) owner.fail(`expected an ndarray, got ${describe(v)}`, at);
  const where = [...at, "ndarray"];
  const nd = (v as { ndarray: unknown }).ndarray;
  if (typeof nd === "object" && nd !== null && "bytes" in nd) {
    const b = decodeBinaryArray(nd as Record<string, unknown>, owner, where);
    if (rank !== undefined && b.shape.length !== rank) owner.fail(`expected an array of rank ${rank}, got shape ${JSON.stringify(b.shape)}`, where, "E_SHAPE");
    return b;
  }
  const a = nd as NdArray;
  if (typeof a !== "object" || a === null || typeof a.dtype !== "string" || !Array.isArray(a.shape) || !Array.isArray(a.data))
    owner.fail("expected {dtype, shape, data}", where);
  const size = a.shape.reduce((p, n) => p * n, 1);
  if (a.data.length !== size) owner.fail(`expected ${size} values (shape ${JSON.stringify(a.shape)}), got ${a.data.length}`, [...where, "data"], "E_SHAPE");
  if (rank !== undefined && a.shape.length !== rank) owner.fail(`expected an array of rank ${rank}, got shape ${JSON.stringify(a.shape)}`, where, "E_SHAPE");
  return a;
}

export function numericData(a: NdArray, owner: Est, at: Seg[]): number[] {
  if (a.values) return Array.from(a.values);
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    if (typeof x !== "number") {
      if (typeof x === "boolean") return a.data.map((b) => (b ? 1 : 0));
      owner.fail(`expected numbers, got ${describe(x)}`, [...at, "ndarray", "data", i]);
    }
  }
  return a.data as number[];
}

/** The elements as numbers (bool as 0/1): binary arrays without a copy, lists checked. */
export function numericValues(a: NdArray, owner: Est, at: Seg[]): ArrayLike<number> {
  return a.values ?? numericData(a, owner, at);
}

// ---------------------------------------------------------------------------------------------
// Binary arrays (FORMAT.md "Binary arrays"): {dtype, shape, encoding, bytes}, raw little-endian
// C-order bytes in base64, zlib-compressed for "zlib-base64".

const ITEM_SIZE: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Largest binary array modelc decodes (bytes). */
export const MAX_ARRAY_BYTES = 2 ** 31 - 1;

/** Arrays already decoded (an attribute read twice is decoded, and counted against the budget, once). */
const DECODED = new WeakMap<object, NdArray>();

function decodeBinaryArray(nd: Record<string, unknown>, owner: Est, where: Seg[]): NdArray {
  let a = DECODED.get(nd);
  if (!a) {
    a = decodeBinaryArrayOnce(nd, owner, where);
    DECODED.set(nd, a);
  }
  return a;
}

function decodeBinaryArrayOnce(nd: Record<string, unknown>, owner: Est, where: Seg[]): NdArray {
  const { dtype, shape, encoding } = nd;
  for (const k of Object.keys(nd)) {
    if (owner.ctx.strict && k !== "dtype" && k !== "shape" && k !== "encoding" && k !== "bytes")
      owner.fail(`unknown field ${JSON.stringify(k)} in a binary array`, [...where, k]);
  }
  if (typeof dtype !== "string" || !(dtype in ITEM_SIZE))
    owner.fail(`binary arrays hold ${Object.keys(ITEM_SIZE).join(", ")}, got dtype ${describe(dtype)}`, [...where, "dtype"], "E_UNSUPPORTED");
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0))
    owner.fail(`expected a shape of non-negative integers, got ${describe(shape)}`, [...where, "shape"]);
  if (encoding !== "base64" && encoding !== "zlib-base64")
    owner.fail(`expected encoding "base64" or "zlib-base64", got ${describe(encoding)}`, [...where, "encoding"]);
  const item = ITEM_SIZE[dtype as string]!;
  const size = (shape as number[]).reduce((p, n) => p * n, 1);
  if (size * item > MAX_ARRAY_BYTES) owner.fail(`array of shape ${JSON.stringify(shape)} is over 2 GiB`, [...where, "shape"], "E_SHAPE");
  // the whole model's decoded size: each array reserves its declared size before it is decoded (and
  // inflating stops at that size), so a document of zip bombs fails here without allocating them
  const budget = owner.ctx.budget;
  if (size * item > budget.left) {
    const what = budget.given ? "--max-model-bytes" : `the default, ${MODEL_BYTES_PER_FILE_BYTE} × the file's size within 256 MiB..4 GiB`;
    throw new CompileError(
      "E_LIMIT",
      `decoding this ${mib(size * item)} array takes the model's arrays over ${mib(budget.limit)} (${what})`,
      { file: owner.ctx.file, path: jsonPath([...owner.path, ...where, "bytes"]) },
      budget.given ? undefined : "pass --max-model-bytes (maxModelBytes) to allow larger models",
    );
  }
  budget.left -= size * item;
  const bytesAt = [...where, "bytes"];
  const text = nd["bytes"];
  if (typeof text !== "string") return owner.fail(`expected a base64 string, got ${describe(text)}`, bytesAt);
  // Buffer.from skips characters outside the alphabet: a length other than the one the text's length
  // and padding give means a malformed text
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  let raw: Buffer = Buffer.from(text, "base64");
  if (text.length % 4 !== 0 || raw.length !== (text.length / 4) * 3 - pad) owner.fail("malformed base64", bytesAt);
  if (encoding === "zlib-base64") {
    try {
      // one output chunk when the expected size is moderate (no concatenation copy)
      raw = inflateSync(raw, { maxOutputLength: Math.max(size * item, 1), chunkSize: Math.min(Math.max(size * item, 64), 1 << 26) });
    } catch (e) {
      owner.fail(`bad zlib data (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`, bytesAt);
    }
  }
  if (raw.length !== size * item)
    owner.fail(`expected ${size * item} bytes (${size} × ${dtype}, shape ${JSON.stringify(shape)}), got ${raw.length}`, bytesAt, "E_SHAPE");
  const values = typedValues(raw, dtype as string, size, owner, bytesAt);
  const out = { dtype: dtype as string, shape: shape as number[], values } as NdArray;
  let data: unknown[] | undefined;
  Object.defineProperty(out, "data", {
    enumerable: true,
    get: () => (data ??= dtype === "bool" ? Array.from(values, (x) => x === 1) : Array.from(values)),
  });
  return out;
}

function typedValues(raw: Buffer, dtype: string, size: number, owner: Est, at: Seg[]): ArrayLike<number> {
  const item = ITEM_SIZE[dtype]!;
  // an aligned copy when the buffer is not (typed arrays need offset % item == 0), bytes swapped on
  // big-endian hosts
  let bytes: Uint8Array = raw;
  if (raw.byteOffset % item !== 0 || (!LITTLE_ENDIAN && item > 1)) {
    bytes = new Uint8Array(raw);
    if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += item) bytes.subarray(i, i + item).reverse();
  }
  const buf = bytes.buffer;
  const off = bytes.byteOffset;
  switch (dtype) {
    case "bool": {
      const u = new Uint8Array(buf, off, size);
      for (let i = 0; i < size; i++) if (u[i]! > 1) owner.fail(`bool element ${i} is ${u[i]}, expected 0 or 1`, at);
      return u;
    }
    case "int8":
      return new Int8Array(buf, off, size);
    case "uint8":
      return new Uint8Array(buf, off, size);
    case "int16":
      return new Int16Array(buf, off, size);
    case "uint16":
      return new Uint16Array(buf, off, size);
    case "int32":
      return new Int32Array(buf, off, size);
    case "uint32":
      return new Uint32Array(buf, off, size);
    case "float32":
      return new Float32Array(buf, off, size);
    case "float64":
      return new Float64Array(buf, off, size);
    default: {
      // int64/uint64: the nearest double, as JSON.parse gives for the decimal integer
      const w = new Uint32Array(buf, off, size * 2);
      const out = new Float64Array(size);
      const signed = dtype === "int64";
      for (let i = 0; i < size; i++) {
        const hi = signed ? w[2 * i + 1]! | 0 : w[2 * i + 1]!;
        out[i] = hi * 4294967296 + w[2 * i]!;
      }
      return out;
    }
  }
}
