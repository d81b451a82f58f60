// Reading modelc_export's JSON (python/modelc_export/FORMAT.md): the envelope through a strict zod
// schema, then typed access to an estimator's params and attributes with JSON paths in every error.

import { z } from "zod";
import { CompileError, jsonPath } from "../../errors.ts";
import { describe, parseWith } from "../zodHelpers.ts";

export const SKLEARN_FORMAT = "modelc-sklearn";
/** Newest layout this importer reads. */
export const SKLEARN_FORMAT_VERSION = 1;

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
  data: unknown[];
}

type Seg = string | number;

/** Context shared by every estimator of one document. */
export interface DocContext {
  file?: string;
  strict: boolean;
  /** scikit-learn version as [major, minor, patch] */
  sklearn: number[];
  scipy: number[];
}

export function parseVersion(s: string | undefined): number[] {
  if (!s) return [0, 0, 0];
  return s.split(/[.+-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
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
  if (typeof v !== "object" || v === null || !("estimator" in v))
    owner.fail(`expected a fitted estimator, got ${describe(v)}`, at);
  return new Est((v as { estimator: unknown }).estimator, owner.ctx, [...owner.path, ...at, "estimator"]);
}

export function readArray(v: unknown, owner: Est, at: Seg[], rank?: number): NdArray {
  if (typeof v !== "object" || v === null || !("ndarray" in v)) owner.fail(`expected an ndarray, got ${describe(v)}`, at);
  const a = (v as { ndarray: unknown }).ndarray as NdArray;
  const where = [...at, "ndarray"];
  if (typeof a !== "object" || a === null || typeof a.dtype !== "string" || !Array.isArray(a.shape) || !Array.isArray(a.data))
    owner.fail("expected {dtype, shape, data}", where);
  const size = a.shape.reduce((p, n) => p * n, 1);
  if (a.data.length !== size) owner.fail(`expected ${size} values (shape ${JSON.stringify(a.shape)}), got ${a.data.length}`, [...where, "data"], "E_SHAPE");
  if (rank !== undefined && a.shape.length !== rank)
    owner.fail(`expected an array of rank ${rank}, got shape ${JSON.stringify(a.shape)}`, where, "E_SHAPE");
  return a;
}

export function numericData(a: NdArray, owner: Est, at: Seg[]): number[] {
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    if (typeof x !== "number") {
      if (typeof x === "boolean") return a.data.map((b) => (b ? 1 : 0));
      owner.fail(`expected numbers, got ${describe(x)}`, [...at, "ndarray", "data", i]);
    }
  }
  return a.data as number[];
}
