// One model file → the code of its module for a bundler: a self-contained ES module (JavaScript), or a wasm
// loader plus its .wasm bytes. What a plugin worker runs (and the main thread for small models).

import { basename } from "node:path";
import { textOf } from "../../emitters/target.ts";
import { compile } from "../compile.ts";
import type { PluginStyle, PluginTarget } from "./parseModelQuery.ts";

export interface ModelTask {
  file: string;
  target: PluginTarget;
  style: PluginStyle;
}

export interface CompiledModel {
  /** the module's code; a wasm loader names its .wasm as `new URL("./<WASM_PLACEHOLDER>", import.meta.url)` */
  code: string;
  /** the .wasm bytes (wasm target) */
  wasm: Uint8Array | null;
  /** the API's function names, in order (the default export lists them with `meta`) */
  functions: string[];
  style: string;
}

/** The file name the loader is compiled with; the plugin replaces the `new URL(...)` naming it. */
export const WASM_PLACEHOLDER = "__modelc_wasm__.wasm";

export async function compileModel(task: ModelTask): Promise<CompiledModel> {
  const name = basename(task.file).replace(/\.[^.]*$/, "");
  let wasm: Uint8Array | null = null;
  const r = await compile(
    { path: task.file },
    {
      name,
      target: task.target,
      style: task.style,
      out: `${name}.js`,
      // a bundle chunk: self-contained, minified, and a wasm loader that fails the import when its .wasm cannot load
      chunk: { model: name, wasmFile: () => WASM_PLACEHOLDER },
    },
  );
  let code = "";
  for (const f of r.files) {
    if (f.contents instanceof Uint8Array) wasm = f.contents;
    else if (f.path.endsWith(".js")) code = textOf(f);
  }
  return { code, wasm, functions: [...r.api.functions], style: r.style };
}
