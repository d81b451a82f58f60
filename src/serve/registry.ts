// The models a `modelc serve` process serves: read from a bundle's manifest.json, grouped into
// versions, each chunk imported once: any ES module with the generated module's API (the JS chunks
// of `modelc bundle`, or a WebAssembly loader, which instantiates its .wasm at import; imports are
// awaited). `refresh()` re-reads the manifest (and the pin config) and swaps in new or changed
// chunks; a request that already holds a model keeps using it, so a swap never fails an in-flight
// request. A chunk that fails to load is recorded on its version, and the version's previous chunk
// (if any) keeps serving.
//
// Versions: a bundle model named `<name>/<digits>` or `<name>@<digits>` (models/churn/2.json →
// `churn/2`, like TensorFlow Serving's <model>/<version>/ folders) is version <digits> of <name>;
// any other bundle model is version 1 of itself. The highest available version serves by default;
// a pin (config file or --pin) chooses another one.

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { hasCategoryColumns } from "../api/apiShape.ts";
import type { GeneratedModule } from "../compiledModule.ts";
import { CHUNK_FILE, type ManifestModel } from "../bundle/manifest.ts";

export interface LoadedVersion {
  name: string;
  version: string;
  /** the bundle's name for this chunk (`churn/2`) */
  bundleName: string;
  entry: ManifestModel;
  module: GeneratedModule;
  chunk: string;
  loadedAt: number;
  loadSeconds: number;
}

export interface VersionStatus {
  version: string;
  /** TensorFlow Serving's ModelVersionStatus.State */
  state: "AVAILABLE" | "LOADING" | "END";
  /** the error of the last load of this version, if it failed (the previous chunk may still serve) */
  error?: string;
  chunk?: string;
}

interface VersionSlot {
  bundleName: string;
  entry: ManifestModel;
  loaded?: LoadedVersion;
  error?: string;
  /** the chunk whose load failed: not retried until the manifest names another chunk */
  failedChunk?: string;
}

export interface RegistryOptions {
  /** JSON file {"models": {"<name>": {"version": "<v>"}}}: pins (rollbacks); re-read on refresh */
  configFile?: string;
  /** pins from the command line, `name@version`; the config file's pins override them (own keys: any name, `__proto__` too) */
  pins?: Record<string, string> | ReadonlyMap<string, string>;
  log?: (line: string) => void;
  onLoad?: (v: LoadedVersion) => void;
  onLoadError?: (name: string, version: string, error: string) => void;
}

const VERSIONED = /^(.+?)(?:\/|@)(\d{1,18})$/;

export function splitVersion(bundleName: string): { name: string; version: string } {
  const m = VERSIONED.exec(bundleName);
  return m ? { name: m[1]!, version: String(BigInt(m[2]!)) } : { name: bundleName, version: "1" };
}

/** A version as the registry keys it: `007` is `7`; anything else as given. */
export function canonicalVersion(v: string): string {
  return /^\d{1,18}$/.test(v) ? String(BigInt(v)) : v;
}

const pinSchema = z.object({ version: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).optional() });

/**
 * The pins of a config file {"models": {"<name>": {"version": "<v>"}}}, by model name. The models
 * object is walked by its own keys (JSON.parse keeps `__proto__` and `constructor` as plain keys; a
 * zod record would drop `__proto__`), and pins are a Map, so a model may have any name.
 */
export function readPinConfig(file: string): Map<string, string> {
  const doc: unknown = JSON.parse(readFileSync(file, "utf8"));
  const bad = (where: string, what: string): never => {
    throw new Error(`${file}: ${where}: ${what}`);
  };
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) bad("(root)", "expected an object");
  const models = Object.hasOwn(doc as object, "models") ? (doc as { models: unknown }).models : {};
  if (typeof models !== "object" || models === null || Array.isArray(models)) bad("models", "expected an object");
  const out = new Map<string, string>();
  for (const name of Object.keys(models as object)) {
    const parsed = pinSchema.safeParse((models as Record<string, unknown>)[name]);
    if (!parsed.success) bad(`models.${name}${parsed.error.issues[0]!.path.map((p) => `.${String(p)}`).join("")}`, parsed.error.issues[0]!.message);
    const v = parsed.data!.version;
    if (v !== undefined) out.set(name, String(v));
  }
  return out;
}

function pinMap(pins: Record<string, string> | ReadonlyMap<string, string> | undefined): Map<string, string> {
  if (!pins) return new Map();
  return pins instanceof Map ? new Map(pins) : new Map(Object.keys(pins).map((k) => [k, (pins as Record<string, string>)[k]!]));
}

const byVersion = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export class ModelRegistry {
  readonly dir: string;
  private models = new Map<string, Map<string, VersionSlot>>();
  private pins = new Map<string, string>();
  private configError: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private reloads = 0;

  constructor(
    dir: string,
    private readonly opts: RegistryOptions = {},
  ) {
    this.dir = resolve(dir);
  }

  private log(line: string) {
    (this.opts.log ?? ((l) => process.stderr.write(l + "\n")))(line);
  }

  /** Re-reads the manifest and the pins; loads new and changed chunks. Calls made while one runs are merged into one more run. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        await this.refreshOnce();
      } while (this.again);
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async refreshOnce(): Promise<void> {
    this.reloads++;
    // pins
    const pins = pinMap(this.opts.pins);
    if (this.opts.configFile) {
      try {
        for (const [k, v] of readPinConfig(this.opts.configFile)) pins.set(k, v);
        this.configError = undefined;
      } catch (e) {
        // keep the previous pins: a half-written config must not move traffic
        this.configError = (e as Error).message;
        this.log(`modelc serve: config not applied: ${this.configError}`);
        for (const [k, v] of this.pins) pins.set(k, v);
      }
    }
    this.pins = pins;

    let entries: ManifestModel[];
    try {
      const manifest = JSON.parse(await readFile(join(this.dir, "manifest.json"), "utf8")) as { models?: ManifestModel[] };
      if (!Array.isArray(manifest.models)) throw new Error("manifest.json has no models list");
      entries = manifest.models;
    } catch (e) {
      // mid-rebuild or broken: keep serving what is loaded
      this.log(`modelc serve: bundle not re-read: ${(e as Error).message}`);
      if (this.models.size === 0) throw e;
      return;
    }

    const next = new Map<string, Map<string, VersionSlot>>();
    const loads: Promise<void>[] = [];
    for (const entry of entries) {
      const { name, version } = splitVersion(entry.name);
      let versions = next.get(name);
      if (!versions) next.set(name, (versions = new Map()));
      if (versions.has(version)) {
        this.log(`modelc serve: ${entry.name}: version ${version} of ${name} is given twice; ${versions.get(version)!.bundleName} serves it`);
        continue;
      }
      const prev = this.models.get(name)?.get(version);
      const slot: VersionSlot = { bundleName: entry.name, entry, loaded: prev?.loaded, error: prev?.error, failedChunk: prev?.failedChunk };
      versions.set(version, slot);
      if (slot.loaded?.chunk === entry.chunk) {
        slot.error = undefined;
        slot.failedChunk = undefined;
        continue;
      }
      if (slot.failedChunk === entry.chunk) continue;
      loads.push(this.load(name, version, slot));
    }
    await Promise.all(loads);
    for (const [name, versions] of this.models)
      for (const v of versions.keys()) if (!next.get(name)?.has(v)) this.log(`modelc serve: ${name} version ${v} left the bundle; unloaded`);
    this.models = next;
  }

  private async load(name: string, version: string, slot: VersionSlot): Promise<void> {
    const t0 = performance.now();
    const chunk = slot.entry.chunk;
    try {
      if (!CHUNK_FILE.test(chunk)) throw new Error(`bad chunk name ${JSON.stringify(chunk)}`);
      const module = (await import(pathToFileURL(join(this.dir, chunk)).href)) as GeneratedModule;
      if (typeof module.predictBatch !== "function" || typeof module.predictRawBatch !== "function" || !module.meta)
        throw new Error(`${chunk} is not a modelc chunk (no predictBatch/predictRawBatch/meta)`);
      // a chunk may import yet be unable to predict (a WebAssembly loader whose .wasm did not load
      // answers every call with why): a failed load, not a version that fails every request
      // (a table model with string columns takes its batches as arrays of rows)
      if (hasCategoryColumns(slot.entry.api)) module.predictRawBatch([] as unknown as Float64Array, 0);
      else module.predictRawBatch(new Float64Array(0), 0);
      const loadSeconds = (performance.now() - t0) / 1000;
      const replaced = slot.loaded;
      slot.loaded = { name, version, bundleName: slot.bundleName, entry: slot.entry, module, chunk, loadedAt: Date.now(), loadSeconds };
      slot.error = undefined;
      slot.failedChunk = undefined;
      this.opts.onLoad?.(slot.loaded);
      this.log(`modelc serve: ${replaced ? "reloaded" : "loaded"} ${name} version ${version} (${chunk}, ${(loadSeconds * 1000).toFixed(1)} ms)`);
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      slot.error = `failed to load ${chunk}: ${msg.split("\n")[0]}`;
      slot.failedChunk = chunk;
      this.opts.onLoadError?.(name, version, slot.error);
      this.log(`modelc serve: ${name} version ${version}: ${slot.error}${slot.loaded ? `; ${slot.loaded.chunk} keeps serving` : ""}`);
    }
  }

  get refreshCount(): number {
    return this.reloads;
  }

  names(): string[] {
    return [...this.models.keys()].sort();
  }

  has(name: string): boolean {
    return this.models.has(name);
  }

  /** Versions of a model, oldest first. */
  status(name: string): VersionStatus[] | undefined {
    const versions = this.models.get(name);
    if (!versions) return undefined;
    return [...versions.entries()]
      .sort((a, b) => byVersion(a[0], b[0]))
      .map(([version, s]) => ({
        version,
        state: s.loaded ? "AVAILABLE" : s.error ? "END" : "LOADING",
        ...(s.error ? { error: s.error } : {}),
        ...(s.loaded ? { chunk: s.loaded.chunk } : {}),
      }));
  }

  /** The version that serves requests without a version: the pinned one, else the highest available. */
  defaultVersion(name: string): string | undefined {
    const versions = this.models.get(name);
    if (!versions) return undefined;
    const pin = this.pins.get(name);
    if (pin !== undefined) return versions.get(pin)?.loaded ? pin : undefined;
    let best: string | undefined;
    for (const [v, s] of versions) if (s.loaded && (best === undefined || byVersion(v, best) > 0)) best = v;
    return best;
  }

  pinnedVersion(name: string): string | undefined {
    return this.pins.get(name);
  }

  get configProblem(): string | undefined {
    return this.configError;
  }

  /** The loaded chunk for a model and version (default version when omitted), or why there is none. */
  get(name: string, version?: string): { ok: true; model: LoadedVersion } | { ok: false; status: 404 | 503; error: string } {
    const versions = this.models.get(name);
    if (!versions) return { ok: false, status: 404, error: `unknown model ${JSON.stringify(name)}` };
    if (version === undefined) {
      const v = this.defaultVersion(name);
      if (v === undefined) {
        const pin = this.pins.get(name);
        return pin !== undefined && !versions.has(pin)
          ? { ok: false, status: 404, error: `model ${JSON.stringify(name)} is pinned to version ${pin}, which is not in the bundle` }
          : { ok: false, status: 503, error: `model ${JSON.stringify(name)} has no loaded version${this.firstError(versions)}` };
      }
      version = v;
    }
    const canonical = canonicalVersion(version);
    const slot = versions.get(canonical);
    if (!slot)
      return {
        ok: false,
        status: 404,
        error: `model ${JSON.stringify(name)} has no version ${JSON.stringify(version)}; versions: ${[...versions.keys()].sort(byVersion).join(", ")}`,
      };
    if (!slot.loaded)
      return { ok: false, status: 503, error: `model ${JSON.stringify(name)} version ${canonical} is not loaded${slot.error ? `: ${slot.error}` : ""}` };
    return { ok: true, model: slot.loaded };
  }

  private firstError(versions: Map<string, VersionSlot>): string {
    for (const s of versions.values()) if (s.error) return `: ${s.error}`;
    return "";
  }
}
