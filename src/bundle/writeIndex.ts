// index.js (the runtime loader) and index.d.ts (exact types per model) of a bundle, from its
// manifest entries: each model's type from its ApiShape (src/api). Every string from a model file is
// printed by the safe literal printers.

import { generatedBanner } from "../../emitters/banner.ts";
import { strLit } from "../../emitters/literals.ts";
import { memberDeclarations } from "../api/declarations.ts";
import type { ManifestModel } from "./manifest.ts";

type IndexEntry = Pick<ManifestModel, "name" | "chunk" | "meta" | "api" | "classes">;

// The loader below is plain ES2020 so it runs wherever the chunks do. `table` rows are
// [name, chunk file, () => import(chunk)]: literal import() calls, so bundlers see every chunk.
// A reload imports this file again under a new query string and takes its table.
const LOADER = `
export let models = Object.freeze(table.map((e) => e[0]));
export { table as __table };
let byName = new Map(table.map((e) => [e[0], e]));
const cache = new Map();
let refreshing;
let reloads = 0;

function unknown(name) {
  const known = [...byName.keys()];
  const list = known.length > 50 ? known.slice(0, 50).join(", ") + ", … (" + (known.length - 50) + " more)" : known.join(", ");
  const e = new Error("modelc: unknown model " + JSON.stringify(String(name)) + "; known models: " + (list || "(none)"));
  e.code = "MODELC_UNKNOWN_MODEL";
  return e;
}

function refresh() {
  if (!refreshing) {
    const self = new URL(import.meta.url);
    self.search = "?reload=" + ++reloads + "-" + Date.now();
    refreshing = import(/* @vite-ignore */ /* webpackIgnore: true */ self.href).then(
      (next) => {
        byName = new Map(next.__table.map((e) => [e[0], e]));
        models = next.models;
        refreshing = undefined;
      },
      (err) => {
        refreshing = undefined;
        throw err;
      },
    );
  }
  return refreshing;
}

function load(entry, retried) {
  const name = entry[0];
  const slot = { file: entry[1] };
  slot.promise = entry[2]().catch(async (err) => {
    if (cache.get(name) === slot) cache.delete(name);
    if (retried) throw err;
    // the chunk may be gone after a rebuild: look at the current index once
    await refresh();
    const now = byName.get(name);
    if (!now) throw unknown(name);
    if (now[1] === entry[1]) throw err;
    return load(now, true);
  });
  cache.set(name, slot);
  return slot.promise;
}

/** The model's module, imported on first use and cached; { reload: true } picks up a rebuilt chunk. */
export function loadModel(name, options) {
  if (options && options.reload) {
    return refresh().then(() => {
      const entry = byName.get(name);
      if (!entry) throw unknown(name);
      const hit = cache.get(name);
      return hit && hit.file === entry[1] ? hit.promise : load(entry, false);
    });
  }
  const hit = cache.get(name);
  if (hit) return hit.promise;
  const entry = byName.get(name);
  return entry ? load(entry, false) : Promise.reject(unknown(name));
}
`;

export function indexJs(entries: readonly Pick<IndexEntry, "name" | "chunk">[]): string {
  const rows = entries.map((e) => {
    const file = strLit(`./${e.chunk}`);
    return `  [${strLit(e.name)}, ${file}, () => import(${file})],`;
  });
  return [generatedBanner({ what: "modelc bundle", instead: "rebuild the bundle" }), "const table = [", ...rows, "];"].join("\n") + LOADER;
}

/** The order index.d.ts lists a model's functions in. */
/** A model's type: its meta as literal types, its functions with a class label typed as the union of its classes. */
function modelType(e: IndexEntry): string {
  return `  ${strLit(e.name)}: {\n${memberDeclarations(e)
    .map((l) => `    ${l}`)
    .join("\n")}\n  };`;
}

export function indexDts(entries: readonly IndexEntry[]): string {
  return [
    generatedBanner({ what: "modelc bundle", instead: "rebuild the bundle" }),
    "/** The modules of this bundle, by model name. */",
    "export interface Models {",
    ...entries.map(modelType),
    "}",
    "export type ModelName = keyof Models;",
    "export interface LoadOptions {",
    "  /** look at the bundle's current index first, and load the model's newer chunk if it was rebuilt */",
    "  reload?: boolean;",
    "}",
    "/** Names of the models in this bundle. */",
    "export declare let models: readonly ModelName[];",
    "/** Imports a model's chunk on first use (cached afterwards); rejects unknown names with the list of known ones. */",
    "export declare function loadModel<N extends ModelName>(name: N, options?: LoadOptions): Promise<Models[N]>;",
    "",
  ].join("\n");
}
