// The bundler plugin (unplugin: Vite, Rollup, esbuild, webpack): `import m from "./churn.json?modelc"` gives the
// compiled model as a module; `&target=wasm` a wasm build whose .wasm is emitted as an asset; `&style=table` the
// style. Models are cached on disk by content, compiled off the main thread when big (or wasm), watched, and a
// malformed model fails the build with modelc's one-line message.

import { availableParallelism } from "node:os";
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { createUnplugin, type UnpluginBuildContext, type UnpluginContext } from "unplugin";
import { ChunkPool } from "../bundle/chunkPool.ts";
import { hashText } from "../bundle/hashFile.ts";
import { CompileError } from "../errors.ts";
import { CompileCache } from "./compileCache.ts";
import { compileModel, type CompiledModel, type ModelTask } from "./compileModel.ts";
import { moduleCode } from "./moduleCode.ts";
import { modelcQuery, parseModelQuery, type ModelRequest, type PluginStyle, type PluginTarget } from "./parseModelQuery.ts";
import { pluginFingerprint } from "./pluginFingerprint.ts";

export interface ModelcPluginOptions {
  /** target of imports that do not say (`?modelc&target=…`): "js" (default) or "wasm" */
  target?: PluginTarget;
  /** style of imports that do not say (`?modelc&style=…`): "auto" (default), "ifelse" or "table" */
  style?: PluginStyle;
  /** the disk cache folder (default `node_modules/.cache/modelc` under the project root); false: none */
  cacheDir?: string | false;
  /**
   * Compile in worker threads: "auto" (default) for wasm builds and model files of `workerMinBytes` or more,
   * true for every model, false never.
   */
  workers?: boolean | "auto";
  /** model files from this size are compiled in a worker under `workers: "auto"` (default 1 MiB) */
  workerMinBytes?: number;
  /** called at the end of every build with what it compiled and what came from the cache */
  onReport?: (report: BuildReport) => void;
}

export interface ModelReport {
  file: string;
  target: PluginTarget;
  style: string;
  /** "compiled" now, or found in the disk cache or in this process's memory (an unchanged model in watch mode) */
  source: "compiled" | "disk" | "memory";
  ms: number;
}

export interface BuildReport {
  /** models compiled in this build */
  compiled: number;
  /** models taken from a cache */
  cached: number;
  models: ModelReport[];
}

const PREFIX = "\0modelc:";
const WORKER_MIN_BYTES = 1 << 20;

type Ctx = UnpluginBuildContext & UnpluginContext;

function workerUrl(): URL {
  const here = import.meta.url;
  return /\.[cm]?ts$/.test(new URL(here).pathname) ? new URL("./pluginWorkerSource.mjs", here) : new URL("./pluginWorker.js", here);
}

/** `\0modelc:<target>:<style>:<absolute model path>.js` — no `.json` at the end or before a `?` (Vite would parse it as JSON). */
function encodeId(req: ModelRequest): string {
  return `${PREFIX}${req.target}:${req.style}:${req.file}.js`;
}

function decodeId(id: string): ModelRequest | null {
  // webpack (unplugin's virtual modules) may hand back the id with its query-less path only
  const m = /^\0modelc:(js|wasm):(ifelse|table|auto):(.*)\.js$/s.exec(id);
  return m ? { target: m[1] as PluginTarget, style: m[2] as PluginStyle, file: m[3]! } : null;
}

/** The message a build shows: modelc's one line for a CompileError, the message otherwise (never a stack). */
function oneLine(e: unknown): string {
  if (e instanceof CompileError) return `modelc: ${e.toLine()}`;
  return `modelc: ${e instanceof Error ? e.message : String(e)}`;
}

export const modelcUnplugin = createUnplugin<ModelcPluginOptions | undefined>((options = {}, meta) => {
  const defaults = { target: options.target ?? "js", style: options.style ?? "auto" };
  parseModelQuery("plugin options", "", defaults); // nothing to check but the types
  if (!["js", "wasm"].includes(defaults.target)) throw new Error(`modelc: unknown target option ${JSON.stringify(defaults.target)} (js or wasm)`);
  if (!["ifelse", "table", "auto"].includes(defaults.style))
    throw new Error(`modelc: unknown style option ${JSON.stringify(defaults.style)} (ifelse, table or auto)`);
  let root = meta.framework === "webpack" ? meta.webpack.compiler.context : process.cwd();
  let viteServe = false;
  let cache: CompileCache | undefined;
  const memory = new Map<string, Promise<CompiledModel>>();
  let pool: ChunkPool<ModelTask, CompiledModel> | undefined;
  let report: BuildReport = { compiled: 0, cached: 0, models: [] };

  const cacheOf = () =>
    (cache ??= new CompileCache(options.cacheDir === false ? null : resolve(root, options.cacheDir ?? join("node_modules", ".cache", "modelc"))));

  function useWorker(req: ModelRequest, bytes: number): boolean {
    const w = options.workers ?? "auto";
    if (w !== "auto") return w;
    return req.target === "wasm" || bytes >= (options.workerMinBytes ?? WORKER_MIN_BYTES);
  }

  async function compiled(req: ModelRequest): Promise<CompiledModel> {
    const t0 = performance.now();
    let bytes: Buffer;
    try {
      bytes = readFileSync(req.file);
    } catch {
      throw new CompileError("E_IO", statSafe(req.file) ? "cannot read the model file" : "no such model file", { file: req.file });
    }
    const key = CompileCache.key([pluginFingerprint(req.target), req.target, req.style, basename(req.file), hashText(bytes)]);
    let source: ModelReport["source"] = "memory";
    let promise = memory.get(key);
    if (!promise) {
      const hit = cacheOf().get(key);
      source = hit ? "disk" : "compiled";
      promise = hit
        ? Promise.resolve(hit)
        : (async () => {
            const task: ModelTask = { file: req.file, target: req.target, style: req.style };
            const r = useWorker(req, bytes.length)
              ? await (pool ??= new ChunkPool<ModelTask, CompiledModel>(Math.max(1, Math.min(4, availableParallelism() - 1)), workerUrl())).compile(task)
              : await compileModel(task);
            const model = { ...r, wasm: r.wasm ? new Uint8Array(r.wasm) : null };
            cacheOf().set(key, model);
            return model;
          })();
      memory.set(key, promise);
      // a failed compile is tried again next time
      promise.catch(() => memory.delete(key));
    }
    const model = await promise;
    if (source === "compiled") report.compiled++;
    else report.cached++;
    report.models.push({ file: req.file, target: req.target, style: model.style, source, ms: performance.now() - t0 });
    return model;
  }

  /** An expression for the .wasm's URL: an emitted, content-hashed asset (a data: URL in Vite's dev server). */
  function wasmUrl(ctx: Ctx, req: ModelRequest, wasm: Uint8Array): string {
    const name = basename(req.file).replace(/\.[^.]*$/, "");
    const hashed = `${name}.${hashText(wasm).slice(0, 8)}.wasm`;
    if (meta.framework === "vite" && viteServe) return JSON.stringify(`data:application/wasm;base64,${Buffer.from(wasm).toString("base64")}`);
    if (meta.framework === "rollup" || meta.framework === "vite" || meta.framework === "rolldown") {
      // Rollup's (and Vite's, Rolldown's) asset reference: its final URL (Vite's is base-relative, e.g. /assets/…)
      const ref = (ctx.emitFile as unknown as (f: { type: "asset"; name: string; source: Uint8Array }) => string)({
        type: "asset",
        name: `${name}.wasm`,
        source: wasm,
      });
      return `import.meta.ROLLUP_FILE_URL_${ref}, import.meta.url`;
    }
    const native = ctx.getNativeBuildContext?.();
    if (native?.framework === "webpack") {
      // the loader's own emitFile: the asset stays attached to the module when webpack restores it from its cache
      const lc = native.loaderContext;
      if (lc) lc.emitFile(hashed, Buffer.from(wasm));
      else ctx.emitFile({ type: "asset", fileName: hashed, source: wasm });
      return `__webpack_public_path__ + ${JSON.stringify(hashed)}, typeof location === "object" ? location.href : "file:///"`;
    }
    if (native?.framework === "esbuild") {
      const o = native.build.initialOptions;
      ctx.emitFile({ type: "asset", fileName: hashed, source: wasm });
      if (o.publicPath) return `${JSON.stringify(o.publicPath.replace(/\/?$/, "/") + hashed)}, typeof location === "object" ? location.href : "file:///"`;
      // beside the outdir's root; chunks may sit in subfolders of it (chunkNames)
      const depth = (o.chunkNames ?? "[name]-[hash]").split("/").length - 1;
      return `${JSON.stringify(`${"../".repeat(depth) || "./"}${hashed}`)}, import.meta.url`;
    }
    return JSON.stringify(`data:application/wasm;base64,${Buffer.from(wasm).toString("base64")}`);
  }

  return {
    name: "modelc",
    enforce: "pre",
    buildStart() {
      report = { compiled: 0, cached: 0, models: [] };
    },
    async buildEnd() {
      const r = report;
      await pool?.close();
      pool = undefined;
      options.onReport?.(r);
    },
    resolveId(id, importer) {
      // the wasm loader's file: branch (Node) reads the .wasm with node:fs; a browser build never runs it
      if (id.startsWith("node:") && importer?.startsWith(PREFIX) && meta.framework !== "webpack") return { id, external: true };
      // our own ids (Vite's dev server resolves the ids it served again)
      if (id.startsWith(PREFIX)) return id;
      const query = modelcQuery(id);
      if (query === null) return null;
      const path = id.slice(0, id.indexOf("?"));
      const from = importer ? dirname(importer.startsWith(PREFIX) ? importer.slice(PREFIX.length) : importer) : root;
      // an absolute path, or one from the project root (Vite's "/models/x.json")
      const file = isAbsolute(path) ? (statSafe(path) ? path : join(root, path)) : resolve(from, path);
      try {
        return encodeId(parseModelQuery(file, query, defaults));
      } catch (e) {
        (this as Ctx).error(oneLine(e));
        // esbuild reports a resolveId error only with a result
        return `${PREFIX}invalid`;
      }
    },
    loadInclude(id) {
      return decodeId(id) !== null;
    },
    async load(id) {
      const req = decodeId(id);
      if (!req) return null;
      const ctx = this as Ctx;
      ctx.addWatchFile(req.file);
      try {
        const model = await compiled(req);
        return moduleCode(model, req.file, model.wasm ? wasmUrl(ctx, req, model.wasm) : undefined);
      } catch (e) {
        ctx.error(oneLine(e));
        // esbuild and webpack collect the error and fail the build; the module is empty meanwhile
        return "export default undefined;";
      }
    },
    vite: {
      configResolved(config) {
        root = config.root;
        viteServe = config.command === "serve";
      },
    },
    webpack(compiler) {
      // the wasm loader's node:fs import (its file: branch, for Node) is never bundled: an empty module in a
      // browser build (that branch never runs there); Node targets keep webpack's own handling of node: modules
      if (compiler.options.externalsPresets?.node) return;
      const external = (
        { request, contextInfo }: { request?: string; contextInfo?: { issuer?: string } },
        callback: (e?: Error | null, result?: string) => void,
      ) => {
        if (request?.startsWith("node:") && contextInfo?.issuer?.includes(encodeURIComponent(PREFIX))) callback(null, "var {}");
        else callback();
      };
      const given = compiler.options.externals;
      compiler.options.externals = [...(given === undefined ? [] : Array.isArray(given) ? given : [given]), external];
    },
    esbuild: {
      setup(build) {
        root = build.initialOptions.absWorkingDir ?? process.cwd();
      },
    },
  };
});

function statSafe(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
