// What a target is: a registry entry that turns the IR, in one style, into the files of one output kind.

import type { DeclaredModel } from "../src/api/declarations.ts";
import type { ModelIR } from "../src/ir/types.ts";
import type { WasmBuildOptions } from "./as/compile.ts";
import type { IfElseLimits } from "./lower/limits.ts";
import type { Style } from "./style.ts";

export type { Style } from "./style.ts";
export type TargetName = "ts" | "js" | "wasm" | "as";

/** One file to write. Big JavaScript modules come as consecutive pieces, so no giant string is built. */
export interface OutputFile {
  path: string;
  contents: string | Uint8Array | readonly string[];
}

export interface TargetContext {
  /** the main output path; other files (a wasm loader) are named after it */
  out: string;
  /** the module's meta and API shape, derived once by the pipeline, for declaration files */
  declared: DeclaredModel;
  minify?: boolean;
  /**
   * The module format where the file lands: "cjs" for a .js file in a CommonJS package (the CLI reads the
   * nearest package.json). A .js module is then CommonJS; a wasm loader (top-level await) becomes .mjs.
   */
  moduleFormat?: "esm" | "cjs";
  /** import runtime helpers from this specifier instead of inlining them (bundle chunks) */
  runtimeImport?: string;
  /** override the ifelse style's function-size limits (tests use tiny ones) */
  ifelseLimits?: IfElseLimits;
  wasm?: WasmBuildOptions;
  /**
   * A bundle chunk of the model `model`: minified, one banner line naming the model; a wasm chunk's
   * .wasm is named by `wasmFile(bytes)` and its loader fails the import when the .wasm cannot load.
   */
  chunk?: { model: string; wasmFile(wasm: Uint8Array): string };
}

export interface Target {
  name: TargetName;
  description: string;
  /** output extensions that select this target, lower case with the dot; none: only by name */
  extensions: readonly string[];
  /** the files it writes, for help texts */
  outputs: string;
  /** it can be a bundle chunk (`modelc bundle --target`) */
  bundles: boolean;
  emit(ir: ModelIR, style: Style, ctx: TargetContext): Promise<OutputFile[]>;
}

/** `dir/name.ext` → `dir/name` + other extension. */
export function replaceExtension(path: string, ext: string): string {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dot = path.lastIndexOf(".");
  return (dot > slash ? path.slice(0, dot) : path) + ext;
}

/** The declaration file beside a JavaScript file: x.mjs → x.d.mts, x.cjs → x.d.cts, x.js → x.d.ts. */
export function declarationPath(jsPath: string): string {
  const m = /\.([cm]?)js$/i.exec(jsPath);
  return m ? `${jsPath.slice(0, m.index)}.d.${m[1]!.toLowerCase()}ts` : `${jsPath}.d.ts`;
}

export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** A text file's contents as one string. */
export function textOf(file: OutputFile): string {
  const c = file.contents;
  if (typeof c === "string") return c;
  if (c instanceof Uint8Array) throw new Error(`internal: ${file.path} is binary`);
  return c.join("");
}
