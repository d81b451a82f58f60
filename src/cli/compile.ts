// `modelc compile`: model file → .ts / .js / .mjs module, or .wasm + its .js loader, or (--target as) the
// AssemblyScript source.

import { extname } from "node:path";
import { emitJavaScriptPieces, emitTypeScript, chooseStyle, type Style } from "../../emitters/registry.ts";
import { emitAssemblyScript, emitWasm } from "../../emitters/as/index.ts";
import { CompileError } from "../errors.ts";
import { dumpIr } from "../ir/dump.ts";
import { loadModel, type LoadOptions } from "../loadModel.ts";
import { writeAtomic } from "./writeAtomic.ts";

export interface CompileCliOptions extends LoadOptions {
  out: string;
  style: Style | "auto";
  dumpIr?: boolean;
  /** "as": write AssemblyScript source whatever the extension */
  target?: "as";
}

export async function runCompile(model: string, opts: CompileCliOptions): Promise<number> {
  const ext = extname(opts.out).toLowerCase();
  if (opts.target !== "as" && ![".ts", ".js", ".mjs", ".wasm"].includes(ext))
    throw new CompileError("E_USAGE", `cannot tell the output kind from ${JSON.stringify(ext || opts.out)}`, { file: opts.out }, "use .ts, .js, .mjs or .wasm (or --target as)");
  const ir = loadModel(model, opts);
  if (opts.dumpIr) {
    process.stdout.write(dumpIr(ir) + "\n");
    return 0;
  }
  const style = chooseStyle(ir, opts.style);
  if (opts.target === "as") {
    writeAtomic(opts.out, await inFile(model, async () => emitAssemblyScript(ir, style)), [model]);
    return 0;
  }
  if (ext === ".wasm") {
    // model.wasm and its loader model.js beside it
    const loaderFile = opts.out.slice(0, -ext.length) + ".js";
    const out = await inFile(model, () => emitWasm(ir, style));
    const wasmName = opts.out.split(/[\\/]/).pop()!;
    writeAtomic(opts.out, out.wasm, [model]);
    writeAtomic(loaderFile, out.loader(wasmName), [model]);
    return 0;
  }
  const code = await inFile(model, async () => (ext === ".ts" ? emitTypeScript(ir, style) : await emitJavaScriptPieces(ir, style)));
  writeAtomic(opts.out, code, [model]);
  return 0;
}

/** Errors raised while emitting (limits, unsupported features) name the model file too. */
export async function inFile<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CompileError) throw e.inFile(file);
    throw e;
  }
}
