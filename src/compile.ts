// The one compile pipeline: model → IR (importer) → files (target printer). The CLI's compile, diff,
// inspect and the bundle workers call it and add only their own I/O; it prints nothing, keeps no
// global state, and fails with CompileError only.

import { chooseStyle, targetByName, TARGETS, targetForPath } from "../emitters/registry.ts";
import type { OutputFile, Style, Target, TargetContext, TargetName } from "../emitters/target.ts";
import { metaOf } from "./api/meta.ts";
import { apiShape, type ApiShape } from "./api/apiShape.ts";
import { CompileError } from "./errors.ts";
import type { ModelIR } from "./ir/types.ts";
import { loadModel, loadModelFromBytes, loadModelFromDocument, type LoadOptions } from "./loadModel.ts";

/** A model: its bytes, its text, an already parsed JSON document, or a file to read. */
export type CompileInput = Uint8Array | ArrayBuffer | string | { path: string } | object;

export interface CompileOptions extends LoadOptions, Pick<TargetContext, "minify" | "moduleFormat" | "runtimeImport" | "ifelseLimits" | "wasm" | "chunk"> {
  /** the model's file name, for messages and the default model name (the path itself for `{ path }` input) */
  file?: string;
  /** what to write (default: chosen by `out`'s extension, else "ts") */
  target?: TargetName;
  /** the main output path the files are named after (default: the model name and the target's extension) */
  out?: string;
  style?: Style | "auto";
}

export interface CompileResult {
  /** the files the CLI would write, in order */
  files: OutputFile[];
  /** the generated module's `meta` */
  meta: ReturnType<typeof metaOf>;
  /** the generated module's API */
  api: ApiShape;
  ir: ModelIR;
  style: Style;
  target: TargetName;
}

/** Reads and imports a model: the IR every target is printed from. */
export function importModel(input: CompileInput, options: LoadOptions & { file?: string } = {}): ModelIR {
  if (isPathInput(input)) return loadModel(input.path, options);
  const file = options.file ?? "<model>";
  if (typeof input === "string") return loadModelFromBytes(new TextEncoder().encode(input), file, options);
  if (input instanceof Uint8Array) return loadModelFromBytes(input, file, options);
  if (input instanceof ArrayBuffer) return loadModelFromBytes(new Uint8Array(input), file, options);
  if (typeof input === "object" && input !== null) return loadModelFromDocument(input, file, options);
  throw new CompileError("E_USAGE", `a model is bytes, text, a parsed document or { path }, got ${input === null ? "null" : typeof input}`);
}

/** Compiles a model into the files of one target. */
export async function compile(input: CompileInput, options: CompileOptions = {}): Promise<CompileResult> {
  const file = isPathInput(input) ? input.path : options.file;
  resolveTarget(options); // a bad output kind is reported before the model is read
  return compileIr(importModel(input, options), { ...options, file });
}

/** The second half of compile(): an IR already imported (diff compiles one IR in several styles). */
export async function compileIr(ir: ModelIR, options: CompileOptions = {}): Promise<CompileResult> {
  const target = resolveTarget(options);
  const style = chooseStyle(ir, options.style ?? "auto");
  const out = options.out ?? `${ir.name}${target.extensions[0] ?? ".ts"}`;
  // the module's API and meta, derived once: the result, and the declarations targets write
  const api = apiShape(ir);
  const meta = metaOf(ir, api);
  const ctx: TargetContext = {
    out,
    declared: { meta, api, classes: ir.classes },
    minify: options.minify,
    moduleFormat: options.moduleFormat,
    runtimeImport: options.runtimeImport,
    ifelseLimits: options.ifelseLimits,
    wasm: options.wasm,
    chunk: options.chunk,
  };
  let files: OutputFile[];
  try {
    files = await target.emit(ir, style, ctx);
  } catch (e) {
    // limits and unsupported features found while printing name the model file too
    throw e instanceof CompileError && options.file ? e.inFile(options.file) : e;
  }
  return { files, meta, api, ir, style, target: target.name };
}

function resolveTarget(options: CompileOptions): Target {
  if (options.target) {
    if (!TARGETS.some((t) => t.name === options.target))
      throw new CompileError("E_USAGE", `unknown target ${JSON.stringify(options.target)}`, {}, `targets: ${TARGETS.map((t) => t.name).join(", ")}`);
    return targetByName(options.target);
  }
  if (options.out === undefined) return targetByName("ts");
  const t = targetForPath(options.out);
  if (!t) {
    const exts = TARGETS.flatMap((x) => x.extensions);
    const ext = /\.[^./\\]*$/.exec(options.out)?.[0] ?? "";
    const named = TARGETS.filter((x) => x.extensions.length === 0).map((x) => `--target ${x.name}`);
    throw new CompileError(
      "E_USAGE",
      `cannot tell the output kind from ${JSON.stringify(ext || options.out)}`,
      { file: options.out },
      `use ${exts.slice(0, -1).join(", ")} or ${exts.at(-1)} (or ${named.join(", ")})`,
    );
  }
  return t;
}

/** `{ path }` and nothing else: a file to read (a parsed document may have a `path` field among others). */
export function isPathInput(input: unknown): input is { path: string } {
  return (
    typeof input === "object" &&
    input !== null &&
    !(input instanceof Uint8Array) &&
    !(input instanceof ArrayBuffer) &&
    typeof (input as { path?: unknown }).path === "string" &&
    Object.keys(input).length === 1
  );
}
