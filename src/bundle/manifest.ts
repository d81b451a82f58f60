// manifest.json of a bundle: what each chunk holds and where it came from. It is also the state an
// incremental rebuild starts from.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { API_FUNCTIONS, apiFields, type ApiShape } from "../api/apiShape.ts";

export const MANIFEST_FILE = "manifest.json";

export interface ManifestModel {
  name: string;
  /** the model file, relative to the bundle folder */
  source: string;
  /** SHA-256 (hex) of the model file */
  sourceHash: string;
  sourceBytes: number;
  /** the model file's mtime when it was hashed: a file of the same size and mtime is not hashed again */
  sourceMtimeMs: number;
  /** chunk file name (in the bundle folder) and its SHA-256 */
  chunk: string;
  chunkHash: string;
  bytes: number;
  gzipBytes: number;
  /** the .wasm the chunk loads (`--target wasm`), in the same folder; null for JavaScript chunks */
  wasm: WasmFileEntry | null;
  task: string;
  nFeatures: number;
  features: string[] | null;
  classes: (number | string)[] | null;
  style: string;
  /** the chunk's exported `meta` (src/api/meta.ts) */
  meta: Record<string, unknown>;
  /** the chunk's functions and what they return (src/api/apiShape.ts) */
  api: ApiShape;
}

export interface WasmFileEntry {
  file: string;
  hash: string;
  bytes: number;
  gzipBytes: number;
}

export type BundleTarget = "js" | "wasm";
export const BUNDLE_TARGETS: readonly BundleTarget[] = ["js", "wasm"];

/** Chunk and .wasm file names: a safe name, 16 hex digits of the content hash, the extension. */
export const CHUNK_FILE = /^[A-Za-z0-9_.~@-]+\.js$/;
export const WASM_FILE = /^[A-Za-z0-9_.~@-]+\.wasm$/;

export interface Manifest {
  generator: "modelc";
  modelc: string;
  manifestVersion: 1;
  /** hash of everything besides the model file that shapes a chunk (compiler, runtime, options) */
  buildKey: string;
  /** what the chunks are: ES modules ("js") or ES-module loaders of a .wasm each ("wasm") */
  target: BundleTarget;
  /** the runtime helpers the JavaScript chunks import; null in a wasm bundle (a .wasm holds its helpers) */
  runtime: { chunk: string; chunkHash: string; bytes: number; gzipBytes: number } | null;
  models: ManifestModel[];
}

const modelSchema = z.looseObject({
  name: z.string(),
  source: z.string(),
  sourceHash: z.string(),
  sourceBytes: z.number(),
  sourceMtimeMs: z.number(),
  chunk: z.string().regex(CHUNK_FILE),
  chunkHash: z.string(),
  bytes: z.number(),
  gzipBytes: z.number(),
  wasm: z
    .object({ file: z.string().regex(WASM_FILE), hash: z.string(), bytes: z.number(), gzipBytes: z.number() })
    .nullable()
    .default(null),
  task: z.string(),
  nFeatures: z.number(),
  features: z.array(z.string()).nullable(),
  classes: z.array(z.union([z.number(), z.string()])).nullable(),
  style: z.string(),
  meta: z.record(z.string(), z.unknown()),
  api: z.object({
    // (an earlier modelc's "Float64Array" is stale: its chunks returned Float64Arrays where they now return number[])
    predict: z.enum(["number", "number[]", "label"]),
    raw: z.enum(["number", "number[]"]),
    proba: z.number(),
    scoreSamples: z.literal(true).optional(),
    // (a manifest without these, of an earlier modelc, is stale: its models are rebuilt)
    label: z.enum(["number", "string"]).nullable(),
    nFeatures: z.number(),
    nOutputs: z.number(),
    predictWidth: z.number(),
    predictBatch: z.enum(["value", "label", "index"]),
    functions: z.array(z.enum(API_FUNCTIONS)),
  }),
});

const manifestSchema = z.looseObject({
  generator: z.literal("modelc"),
  modelc: z.string(),
  manifestVersion: z.literal(1),
  buildKey: z.string(),
  target: z.enum(["js", "wasm"]).default("js"),
  runtime: z.looseObject({ chunk: z.string().regex(CHUNK_FILE), chunkHash: z.string(), bytes: z.number(), gzipBytes: z.number() }).nullable(),
  models: z.array(modelSchema),
});

/** A manifest entry with its fields in the one order manifest.json uses (so unchanged builds write identical bytes). */
export function manifestModel(e: ManifestModel): ManifestModel {
  return {
    name: e.name,
    source: e.source,
    sourceHash: e.sourceHash,
    sourceBytes: e.sourceBytes,
    sourceMtimeMs: e.sourceMtimeMs,
    chunk: e.chunk,
    chunkHash: e.chunkHash,
    bytes: e.bytes,
    gzipBytes: e.gzipBytes,
    wasm: e.wasm ? { file: e.wasm.file, hash: e.wasm.hash, bytes: e.wasm.bytes, gzipBytes: e.wasm.gzipBytes } : null,
    task: e.task,
    nFeatures: e.nFeatures,
    features: e.features,
    classes: e.classes,
    style: e.style,
    meta: e.meta,
    api: apiFields(e.api),
  };
}

export type PreviousManifest = { state: "none" | "foreign" | "stale" } | { state: "ok"; manifest: Manifest };

/**
 * The manifest of an earlier build in `dir`: "none" when there is no manifest.json, "foreign" when
 * modelc did not write it (the folder must not be touched), "stale" when modelc wrote it but it
 * cannot be used (another manifest version, damaged): everything is rebuilt.
 */
export function readManifest(dir: string): PreviousManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return { state: "none" };
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return { state: "foreign" };
  }
  const r = manifestSchema.safeParse(doc);
  if (!r.success) {
    const ours = typeof doc === "object" && doc !== null && (doc as { generator?: unknown }).generator === "modelc";
    return { state: ours ? "stale" : "foreign" };
  }
  return { state: "ok", manifest: r.data as unknown as Manifest };
}
