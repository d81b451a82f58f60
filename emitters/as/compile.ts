// Compiles generated AssemblyScript to a .wasm binary with the AssemblyScript compiler (npm package `assemblyscript`,
// loaded on first use: it is large). Optimized (-O3), no runtime (stub, never allocates), no imports (abort is a trap),
// then the model's tables are added as a data segment below asc's static data.

import { CompileError } from "../../src/errors.ts";
import { BLOB_BASE } from "./data.ts";
import type { AsProgram } from "./module.ts";
import { addDataSegment } from "./wasmData.ts";

export interface WasmBuildOptions {
  /** asc optimize level (default 3) */
  optimizeLevel?: 0 | 1 | 2 | 3;
  /** asc shrink level (default 0: speed over size) */
  shrinkLevel?: 0 | 1 | 2;
  /** extra WebAssembly features to enable (e.g. "simd") */
  enable?: string[];
}

type Asc = typeof import("assemblyscript/asc");
let ascPromise: Promise<Asc> | undefined;

/** The AssemblyScript compiler: an optional peer dependency, needed only for the wasm target. */
function loadAsc(): Promise<Asc> {
  ascPromise ??= import("assemblyscript/asc").catch((e: unknown) => {
    ascPromise = undefined;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
      throw new CompileError(
        "E_USAGE",
        "the WebAssembly target needs the assemblyscript package, which is not installed",
        {},
        "npm install --save-dev assemblyscript",
      );
    throw e;
  });
  return ascPromise;
}

/** asc options shared by modelc's builds and documented for --target as users. */
export function ascOptions(memoryBase: number, opts: WasmBuildOptions = {}) {
  return {
    optimizeLevel: opts.optimizeLevel ?? 3,
    shrinkLevel: opts.shrinkLevel ?? 0,
    runtime: "stub",
    noAssert: true,
    use: ["abort="],
    ...(memoryBase > 0 ? { memoryBase } : {}),
    ...(opts.enable?.length ? { enable: opts.enable } : {}),
  };
}

/** The .wasm of a program. */
export async function compileAsProgram(prog: AsProgram, opts: WasmBuildOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const asc = (await loadAsc()).default;
  const enable = [...new Set([...(opts.enable ?? []), ...(prog.features ?? [])])];
  const r = await asc.compileString({ "model.ts": prog.source }, ascOptions(prog.memoryBase, { ...opts, enable }));
  if (r.error || !r.binary) {
    const msg = r.stderr.toString().trim().split("\n").slice(0, 12).join("\n");
    throw new CompileError(
      "E_UNSUPPORTED",
      `AssemblyScript compilation failed: ${r.error?.message ?? "no binary"}\n${msg}`,
      {},
      "please report this with the model file",
    );
  }
  return addDataSegment(r.binary, BLOB_BASE, prog.blob);
}
