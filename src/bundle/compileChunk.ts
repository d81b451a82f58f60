// One model → one chunk file in the bundle folder: the job a bundle worker runs. A JavaScript chunk
// imports its runtime helpers from the bundle's shared runtime chunk; a wasm chunk is the model's
// loader (the same exports as a JavaScript chunk) and its .wasm beside it, both content-hashed.
// Only the manifest entry goes back to the caller, never the code or the IR, so a big model lives
// in one worker's memory only.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { threadId } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { textOf, totalNodes, type Style } from "../../emitters/registry.ts";
import { compileIr, importModel } from "../compile.ts";
import { writeAtomic } from "../io/writeAtomic.ts";
import type { LoadOptions } from "../loadModel.ts";
import { hashFile, hashText } from "./hashFile.ts";
import { threadCpuMs } from "./threadCpu.ts";
import type { BundleTarget, ManifestModel, WasmFileEntry } from "./manifest.ts";

export interface ChunkTask {
  file: string;
  name: string;
  /** SHA-256 of the model file, or null: the worker hashes it */
  sourceHash: string | null;
  sourceBytes: number;
  outDir: string;
  target: BundleTarget;
  /** file name of the shared runtime chunk, in the same folder (JavaScript chunks) */
  runtimeChunk: string | null;
  style: Style | "auto";
  load: Pick<LoadOptions, "format" | "lenient" | "predictPath" | "maxModelBytes" | "maxNeighborsTable">;
}

export interface ChunkResult {
  entry: Omit<ManifestModel, "source" | "sourceMtimeMs">;
  trees: number;
  nodes: number;
  ms: number;
  /** CPU time of the compiling thread (Linux; null elsewhere), and which thread: a load-independent view of the work */
  cpuMs: number | null;
  threadId: number;
  /** this worker's V8 heap right after compiling (MB) */
  heapMB: number;
}

/**
 * Chunk (or .wasm) file name: the model name with "/" as "~" ("@" of `name@version` kept: it needs no escaping
 * in a URL path), and 16 hex digits of the content hash.
 */
export function chunkFileName(name: string, hash: string, ext: "js" | "wasm" = "js"): string {
  return `${name.replace(/\//g, "~")}.${hash.slice(0, 16)}.${ext}`;
}

/** Writes a content-addressed file unless a file of that name and size is there (it then holds exactly this). */
function writeContent(file: string, content: string | Uint8Array, bytes: number): void {
  if (!(existsSync(file) && statSync(file).size === bytes)) writeAtomic(file, content);
}

export async function compileChunk(task: ChunkTask): Promise<ChunkResult> {
  const t0 = performance.now();
  const cpu0 = threadCpuMs();
  // hashed before it is read for compiling: a file changed meanwhile is seen as changed by the next build
  const sourceHash = task.sourceHash ?? (await hashFile(task.file));
  if (task.target === "js" && !task.runtimeChunk) throw new Error("modelc: a JavaScript chunk needs the runtime chunk");
  const ir = importModel({ path: task.file }, { ...task.load, name: task.name, strictOptions: false });
  let wasm: WasmFileEntry | null = null;
  const r = await compileIr(ir, {
    file: task.file,
    target: task.target,
    style: task.style,
    out: "chunk.js",
    runtimeImport: task.target === "js" ? `./${task.runtimeChunk}` : undefined,
    chunk: {
      model: task.name,
      // the .wasm is content-addressed; its loader chunk names it
      wasmFile: (bytes) => {
        const hash = hashText(bytes);
        wasm = { file: chunkFileName(task.name, hash, "wasm"), hash, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
        return wasm.file;
      },
    },
  });
  const style = r.style;
  let code = "";
  for (const f of r.files) {
    if (f.contents instanceof Uint8Array) writeContent(join(task.outDir, f.path), f.contents, f.contents.length);
    else code = textOf(f);
  }
  const chunkHash = hashText(code);
  const chunk = chunkFileName(task.name, chunkHash);
  const bytes = Buffer.byteLength(code);
  writeContent(join(task.outDir, chunk), code, bytes);
  const heapMB = getHeapStatistics().total_heap_size / 2 ** 20;
  return {
    entry: {
      name: task.name,
      sourceHash,
      sourceBytes: task.sourceBytes,
      chunk,
      chunkHash,
      bytes,
      gzipBytes: gzipSync(code).length,
      wasm,
      task: ir.task,
      nFeatures: ir.nFeatures,
      features: ir.featureNames ?? null,
      classes: ir.classes ?? null,
      style,
      meta: JSON.parse(JSON.stringify(r.meta)) as Record<string, unknown>,
      api: r.api,
    },
    trees: ir.model.kind === "trees" ? ir.model.trees.length : 0,
    nodes: totalNodes(ir),
    ms: performance.now() - t0,
    cpuMs: cpu0 === null ? null : threadCpuMs()! - cpu0,
    threadId,
    heapMB,
  };
}
