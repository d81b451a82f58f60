// `modelc bundle`: model files → one chunk per model, a shared runtime chunk, index.js, index.d.ts
// and manifest.json. Unchanged models (same file hash, same compiler and options) keep their chunk;
// the others compile in parallel in worker threads. A failed build leaves the previous bundle as it was.

import { generatedBanner } from "../../emitters/banner.ts";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { tsToJs, type Style } from "../../emitters/registry.ts";
import { runtimeModuleSource } from "../../emitters/runtimeSource.ts";
import { writeAtomic } from "../io/writeAtomic.ts";
import { CompileError } from "../errors.ts";
import type { LoadOptions } from "../loadModel.ts";
import { packageVersion } from "../packageRoot.ts";
import { bundleLock } from "./bundleLock.ts";
import { ChunkPool, workerUrl } from "./chunkPool.ts";
import type { ChunkResult, ChunkTask } from "./compileChunk.ts";
import { compilerFingerprint, wasmToolchainFingerprint } from "./compilerFingerprint.ts";
import { discoverModels, type ModelFile } from "./discoverModels.ts";
import { hashFile, hashText } from "./hashFile.ts";
import { CHUNK_FILE, MANIFEST_FILE, WASM_FILE, manifestModel, readManifest, type BundleTarget, type Manifest, type ManifestModel } from "./manifest.ts";
import { threadCpuMs } from "./threadCpu.ts";
import { indexDts, indexJs } from "./writeIndex.ts";

export interface BundleOptions extends Pick<LoadOptions, "format" | "lenient" | "predictPath" | "maxModelBytes" | "maxNeighborsTable"> {
  out: string;
  style?: Style | "auto";
  /** JavaScript chunks (default), or per model a .wasm and its loader chunk */
  target?: BundleTarget;
  /** worker threads (default: one per core, at most one per model to build) */
  jobs?: number;
  /** rebuild every chunk */
  force?: boolean;
  onEvent?: (e: BundleEvent) => void;
}

export type BundleEvent =
  | { type: "plan"; total: number; build: string[]; unchanged: number; removed: string[]; jobs: number }
  | { type: "start"; name: string; sourceBytes: number }
  | { type: "done"; name: string; result: ChunkResult };

export interface BundleModelReport {
  name: string;
  status: "built" | "unchanged";
  chunk: string;
  bytes: number;
  gzipBytes: number;
  /** the .wasm the chunk loads (wasm bundles) */
  wasm?: { file: string; bytes: number; gzipBytes: number };
  sourceBytes: number;
  /** compile time in its worker (built models), the worker thread's CPU time for it (Linux) and the thread's id */
  ms?: number;
  cpuMs?: number | null;
  threadId?: number;
  heapMB?: number;
}

export interface BundleReport {
  outDir: string;
  models: BundleModelReport[];
  removed: string[];
  target: BundleTarget;
  /** the shared runtime chunk of JavaScript chunks (null in a wasm bundle) */
  runtime: { chunk: string; bytes: number; gzipBytes: number } | null;
  /** files this build wrote (chunks, index, manifest), relative to outDir */
  written: string[];
  jobs: number;
  ms: number;
  /** peak resident memory of this process, workers included (threads), MB */
  peakRssMB: number;
  /** CPU time of the main thread (discovery, hashing, index and manifest; Linux), ms */
  mainCpuMs: number | null;
}

/** files of ours a sweep may delete: content-hashed chunks and .wasm files, temporary files */
const HASHED_RE = /^[A-Za-z0-9_.~@-]+\.[0-9a-f]{16}\.(js|wasm)$/;
const TMP_RE = /\.(js|ts|json|wasm)\.tmp-\d+-\d+$/;

export async function bundle(inputs: readonly string[], opts: BundleOptions): Promise<BundleReport> {
  const t0 = performance.now();
  const mainCpu0 = threadCpuMs();
  const outDir = resolve(opts.out);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new CompileError("E_USAGE", "the output must be a folder", { file: opts.out });
  const models = discoverModels(inputs, outDir);
  const prev = readManifest(outDir);
  if (prev.state === "foreign")
    throw new CompileError("E_USAGE", `${MANIFEST_FILE} here was not written by modelc`, { file: opts.out }, "choose another output folder");
  // files of a first build that was stopped before it wrote its manifest (killed) are ours to remove
  const leftovers = prev.state === "none" && existsSync(outDir) ? readdirSync(outDir).filter((f) => !f.startsWith(".")) : [];
  if (leftovers.some((f) => !partialBuildFile(outDir, f)))
    throw new CompileError("E_USAGE", "the output folder is not empty and holds no modelc bundle", { file: opts.out }, "choose an empty or new folder");
  mkdirSync(outDir, { recursive: true });
  const release = bundleLock(outDir);
  // the lock is ours: no other build is writing these
  for (const f of leftovers) rmSync(join(outDir, f), { force: true });
  const written: string[] = [];
  let pool: ChunkPool | undefined;
  const old = prev.state === "ok" ? prev.manifest : undefined;
  try {
    const target: BundleTarget = opts.target ?? "js";
    if (target !== "js" && target !== "wasm") throw new CompileError("E_USAGE", `unknown bundle target ${JSON.stringify(target)}`, {}, "use js or wasm");
    // the shared runtime chunk of JavaScript chunks: every helper, so it changes only with modelc itself
    const runtimeJs = `${generatedBanner({ what: "runtime helpers shared by the chunks of this bundle", instead: "rebuild the bundle" })}\n${await tsToJs(runtimeModuleSource(), true)}`;
    const runtimeHash = hashText(runtimeJs);
    const runtime =
      target === "js"
        ? {
            chunk: `runtime.${runtimeHash.slice(0, 16)}.js`,
            chunkHash: runtimeHash,
            bytes: Buffer.byteLength(runtimeJs),
            gzipBytes: gzipSync(runtimeJs).length,
          }
        : null;
    if (runtime && !existsSync(join(outDir, runtime.chunk))) {
      writeAtomic(join(outDir, runtime.chunk), runtimeJs);
      written.push(runtime.chunk);
    }
    const style = opts.style ?? "auto";
    const load = {
      format: opts.format,
      lenient: opts.lenient,
      predictPath: opts.predictPath,
      maxModelBytes: opts.maxModelBytes,
      maxNeighborsTable: opts.maxNeighborsTable,
    };
    const url = workerUrl();
    const toolchain = target === "wasm" ? { wasm: wasmToolchainFingerprint() } : {};
    const buildKey = hashText(
      JSON.stringify({ modelc: packageVersion(), compiler: compilerFingerprint(url), runtime: runtimeHash, style, load, target, ...toolchain }),
    );

    // which models need a new chunk; a file with the size and mtime it had when hashed is not read again.
    // A model without a usable chunk is hashed by the worker that compiles it (in parallel, not here).
    const oldByName = new Map((old?.buildKey === buildKey && !opts.force ? old.models : []).map((e) => [e.name, e]));
    const hashes = await mapLimit(models, 4, async (m) => {
      const e = oldByName.get(m.name);
      if (!e || !chunkIntact(outDir, e)) return null;
      return e.sourceBytes === m.bytes && e.sourceMtimeMs === m.mtimeMs ? e.sourceHash : hashFile(m.file);
    });
    const entries = new Map<string, ManifestModel>();
    const reports = new Map<string, BundleModelReport>();
    const todo: { m: ModelFile; hash: string | null }[] = [];
    models.forEach((m, i) => {
      const hash = hashes[i]!;
      const e = oldByName.get(m.name);
      if (e && hash !== null && e.sourceHash === hash) {
        entries.set(m.name, manifestModel({ ...e, source: sourcePath(outDir, m.file), sourceMtimeMs: m.mtimeMs }));
        reports.set(m.name, {
          name: m.name,
          status: "unchanged",
          chunk: e.chunk,
          bytes: e.bytes,
          gzipBytes: e.gzipBytes,
          ...wasmReport(e),
          sourceBytes: e.sourceBytes,
        });
      } else todo.push({ m, hash });
    });
    const names = new Set(models.map((m) => m.name));
    const removed = (old?.models ?? []).map((e) => e.name).filter((n) => !names.has(n));
    const requested = opts.jobs !== undefined && opts.jobs >= 1 ? Math.floor(opts.jobs) : availableParallelism();
    const jobs = Math.max(1, Math.min(requested, todo.length));
    opts.onEvent?.({ type: "plan", total: models.length, build: todo.map((t) => t.m.name), unchanged: models.length - todo.length, removed, jobs });

    if (todo.length) {
      // biggest first, so no large model starts last on an otherwise idle pool
      todo.sort((a, b) => b.m.bytes - a.m.bytes);
      const p = (pool = new ChunkPool(jobs, url));
      const results = todo.map(({ m, hash }) => {
        const task: ChunkTask = {
          file: m.file,
          name: m.name,
          sourceHash: hash,
          sourceBytes: m.bytes,
          outDir,
          target,
          runtimeChunk: runtime?.chunk ?? null,
          style,
          load,
        };
        return p
          .compile(task, () => opts.onEvent?.({ type: "start", name: m.name, sourceBytes: m.bytes }))
          .then((r) => {
            entries.set(m.name, manifestModel({ ...r.entry, source: sourcePath(outDir, m.file), sourceMtimeMs: m.mtimeMs }));
            reports.set(m.name, {
              name: m.name,
              status: "built",
              chunk: r.entry.chunk,
              bytes: r.entry.bytes,
              gzipBytes: r.entry.gzipBytes,
              ...wasmReport(r.entry),
              sourceBytes: m.bytes,
              ms: r.ms,
              cpuMs: r.cpuMs,
              threadId: r.threadId,
              heapMB: r.heapMB,
            });
            for (const f of [r.entry.chunk, ...(r.entry.wasm ? [r.entry.wasm.file] : [])]) if (!written.includes(f)) written.push(f);
            opts.onEvent?.({ type: "done", name: m.name, result: r });
          });
      });
      // the first failure stops the build
      await new Promise<void>((resolveAll, rejectAll) => {
        let left = results.length;
        for (const r of results) r.then(() => --left === 0 && resolveAll(), rejectAll);
      });
      await p.close();
      pool = undefined;
    }

    const sorted = [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const manifest: Manifest = {
      generator: "modelc",
      modelc: packageVersion(),
      manifestVersion: 1,
      buildKey,
      target,
      runtime: runtime && { chunk: runtime.chunk, chunkHash: runtime.chunkHash, bytes: runtime.bytes, gzipBytes: runtime.gzipBytes },
      models: sorted,
    };
    for (const [file, text] of [
      // the chunks and index.js are ES modules wherever the folder lands, in a CommonJS package too
      ["package.json", BUNDLE_PACKAGE_JSON],
      ["index.d.ts", indexDts(sorted)],
      ["index.js", indexJs(sorted)],
      [MANIFEST_FILE, JSON.stringify(manifest, null, 2) + "\n"],
    ] as const) {
      if (writeIfChanged(join(outDir, file), text)) written.push(file);
    }
    sweep(outDir, new Set(manifestFiles(manifest)));
    return {
      outDir,
      models: sorted.map((e) => reports.get(e.name)!),
      removed,
      target,
      runtime: runtime && { chunk: runtime.chunk, bytes: runtime.bytes, gzipBytes: runtime.gzipBytes },
      written,
      jobs,
      ms: performance.now() - t0,
      mainCpuMs: mainCpu0 === null ? null : threadCpuMs()! - mainCpu0,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    };
  } catch (e) {
    await pool?.close();
    // back to the previous bundle: drop every chunk it does not list
    sweep(outDir, new Set(old ? manifestFiles(old) : []));
    throw e;
  } finally {
    release();
  }
}

function sourcePath(outDir: string, file: string): string {
  return relative(outDir, file).split(sep).join("/");
}

/** The chunk (and .wasm) files a manifest lists. */
const BUNDLE_PACKAGE_JSON = `${JSON.stringify({ type: "module", sideEffects: false }, null, 2)}\n`;

function manifestFiles(m: Manifest): string[] {
  return [...(m.runtime ? [m.runtime.chunk] : []), ...m.models.flatMap((e) => [e.chunk, ...(e.wasm ? [e.wasm.file] : [])])];
}

function wasmReport(e: Pick<ManifestModel, "wasm">): Pick<BundleModelReport, "wasm"> {
  return e.wasm ? { wasm: { file: e.wasm.file, bytes: e.wasm.bytes, gzipBytes: e.wasm.gzipBytes } } : {};
}

function chunkIntact(outDir: string, e: ManifestModel): boolean {
  try {
    return (
      CHUNK_FILE.test(e.chunk) &&
      statSync(join(outDir, e.chunk)).size === e.bytes &&
      (!e.wasm || (WASM_FILE.test(e.wasm.file) && statSync(join(outDir, e.wasm.file)).size === e.wasm.bytes))
    );
  } catch {
    return false;
  }
}

function writeIfChanged(file: string, text: string): boolean {
  try {
    if (readFileSync(file, "utf8") === text) return false;
  } catch {
    // not there yet
  }
  writeAtomic(file, text);
  return true;
}

/**
 * A file a modelc bundle build writes before its manifest: chunks, the runtime chunk, temporary files,
 * and package.json / index.js / index.d.ts as modelc writes them.
 */
function partialBuildFile(dir: string, f: string): boolean {
  if (HASHED_RE.test(f) || TMP_RE.test(f)) return statSync(join(dir, f)).isFile();
  if (f !== "package.json" && f !== "index.js" && f !== "index.d.ts") return false;
  try {
    const text = readFileSync(join(dir, f), "utf8");
    return f === "package.json" ? text === BUNDLE_PACKAGE_JSON : text.startsWith("// Generated by modelc ") && text.includes("(modelc bundle)");
  } catch {
    return false;
  }
}

/** Deletes chunk files (and temporary files) of this folder that are not in `keep`. */
function sweep(dir: string, keep: Set<string>): void {
  for (const f of readdirSync(dir)) {
    if ((HASHED_RE.test(f) && !keep.has(f)) || TMP_RE.test(f)) rmSync(join(dir, f), { force: true });
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}
