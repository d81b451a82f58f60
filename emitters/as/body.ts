// The AssemblyScript printer (emitters/as/): prints the lowered form of emitters/lower/ as AssemblyScript, which asc
// compiles to WebAssembly (compile.ts; the tables go into a data blob, data.ts and wasmData.ts). A style printer —
// ifelse.ts and table.ts for tree ensembles, linear.ts, kernel.ts — writes an AsBody from the lowering's tables, cuts
// and conditions; module.ts wraps each model in a namespace with preprocessing (preprocess.ts), the transform
// (transforms.ts) and the batch entry points, loader.ts writes the JavaScript loader, and index.ts is the entry.
// Nothing here is shared with the TypeScript printer (emitters/ts/) except through emitters/lower/,
// emitters/literals.ts and the Style type of emitters/registry.ts.
//
// What an AssemblyScript style emitter hands to the module writer (module.ts): namespace-level declarations and
// the runtime helpers (src/runtime/as/*.as) it needs. Every body defines
// `rawBlock_(x: usize, n: i32, stride: usize): void`, which reads n rows (XT values, row r at x + r·stride) and writes
// their raw scores into the namespace's ACC (row r's nOutputs f64 values at ACC + r·8·nOutputs). Tree ensembles walk
// one tree (table) or one group of trees (ifelse) for all rows of the block before the next: each row still adds the
// trees in order, and the nodes (table) or code (ifelse) stay in cache across the block.
// Numbers keep the generated TypeScript's arithmetic: float32 steps are f32 operations on float32 values (exactly
// Math.fround of the double operation), and a float32 literal is only printed for a value that is exactly float32.

import { CompileError } from "../../src/errors.ts";
import type { ModelIR, NumberType, TreeEnsemble } from "../../src/ir/types.ts";
import type { DataBlob } from "./data.ts";
import { sizeOf, type AsType } from "./literals.ts";

/** Rows per block: tree ensembles walk each tree for a whole block of rows (see above). */
export const BLOCK = 64;

export interface AsBody {
  code: string[];
  runtime: Set<string>;
}

export interface AsContext {
  ir: ModelIR;
  data: DataBlob;
  /** type of a row element in memory (the model's input cast) */
  xt: AsType;
}

export const asType = (t: NumberType): AsType => (t === "float32" ? "f32" : "f64");

/** Expression loading feature f of the row at x (a constant offset folds into the load instruction). */
export function loadFeature(ctx: AsContext, f: number): string {
  return `load<${ctx.xt}>(x, ${f * sizeOf(ctx.xt)})`;
}

/** `a + e` in the accumulator type at, where e has type et (et may be wider than at: round the double sum). */
export function addIn(at: AsType, a: string, et: AsType, e: string): string {
  if (at === et) return `${a} + ${e}`;
  if (at === "f64") return `${a} + <f64>${e}`;
  return `<f32>(<f64>${a} + ${e})`;
}

/** `value` of type from, as type to (exact: only widening or a float32 value in f64). */
export function convert(value: string, from: AsType, to: AsType): string {
  return from === to ? value : `<${to}>${value}`;
}

/** `ACC[slot] = ACC[slot] + e` for the row whose accumulators start at `row`, in the accumulator's type. */
export function accAdd(at: AsType, row: string, slot: number | string, et: AsType, e: string): string {
  const addr = typeof slot === "number" ? row : `${row} + (<usize>${slot} << 3)`;
  const off = typeof slot === "number" ? 8 * slot : 0;
  return `store<f64>(${addr}, <f64>(${addIn(at, `<${at}>load<f64>(${addr}, ${off})`, et, e)}), ${off});`;
}

/** Rejects IR features this emitter does not implement yet, naming them. */
export function unsupported(what: string): never {
  throw new CompileError("E_UNSUPPORTED", `the WebAssembly target does not support ${what} yet`, {}, "compile to .js or .ts instead");
}

/**
 * Weighted-median ensembles (TreeEnsemble.aggregate): MV holds each row's tree values (row r's at MV + r·8·nTrees;
 * `store(r, t, e)` writes tree t's), MW the weights, MI/MJ the sort's scratch; `last` sets each row's raw score.
 */
export function medianAs(ctx: AsContext, ens: TreeEnsemble, runtime: Set<string>) {
  const n = ens.trees.length;
  runtime.add("median.as");
  return {
    decls: [
      `const MV = memory.data(${8 * n * BLOCK}, 8);`,
      ctx.data.f64("MW", ens.aggregate!.weights),
      `const MI = memory.data(${4 * n}, 4);`,
      `const MJ = memory.data(${4 * n}, 4);`,
    ],
    store: (r: string, t: number | string, et: AsType, e: string) =>
      `store<f64>(MV + ((<usize>${r} * ${n} + <usize>${t}) << 3), ${et === "f64" ? e : `<f64>${e}`});`,
    last: [`  for (let r = 0; r < n; r++) store<f64>(ACC + (<usize>r << 3), weightedMedian(MV + <usize>r * ${8 * n}, MW, ${n}, MI, MJ));`],
  };
}
