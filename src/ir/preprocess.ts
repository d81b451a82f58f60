// The meaning of the IR's input preprocessing (types.ts Preprocess): one plain interpreter, used by
// the evaluator, the builder's checks and the parity bound. Emitters print the same loops.

import { exp } from "../runtime/math/exp.ts";
import { log } from "../runtime/math/log.ts";
import { log1p } from "../runtime/math/log1p.ts";
import { skBins, skLookup } from "../runtime/skLookup.ts";
import type { BinsStep, FuncName, LookupStep, ModelIR, Preprocess } from "./types.ts";

/** The float64 function a "func" step applies (numpy's ufunc as glibc computes it). */
export const FUNCS: Record<FuncName, (x: number) => number> = { log1p, expm1: Math.expm1, log, exp, sqrt: Math.sqrt };

/** Number of values the model itself reads: the preprocessing's outputs, or the row. */
export function modelWidth(ir: Pick<ModelIR, "nFeatures" | "preprocess">): number {
  return ir.preprocess ? ir.preprocess.output.length : ir.nFeatures;
}

/** Whether a step can refuse a row (lookup and bins steps: scikit-learn raises there). */
export function preprocessFails(ir: Pick<ModelIR, "preprocess">): boolean {
  return ir.preprocess?.steps.some((s) => s.kind === "lookup" || s.kind === "bins") ?? false;
}

/** The error a lookup or bins step raises where scikit-learn raises (unknown category, missing or non-finite value). */
export class PreprocessError extends RangeError {}

function runLookup(st: LookupStep, S: Float64Array): void {
  const f = skLookup(S, st.src, st.dstStart, st.dst, st.keyStart, st.keys, st.tableStart, st.table, st.fail);
  if (f >= 0) throw new PreprocessError(`${f % 4 === 1 ? "unknown category" : "missing value"} in column ${st.label[f >> 2]}`);
}

function runBins(st: BinsStep, S: Float64Array): void {
  const f = skBins(S, st.src, st.dst, st.edgeStart, st.edges);
  if (f >= 0) throw new PreprocessError(`value ${S[st.src[f]!]} is not finite in column ${st.label[f]}`);
}

export function runPreprocess(pre: Preprocess, nFeatures: number, row: ArrayLike<number>): Float64Array {
  const S = new Float64Array(pre.slots);
  for (let i = 0; i < nFeatures; i++) S[i] = row[i]!;
  for (const st of pre.steps) {
    if (st.kind === "map") {
      for (let k = 0; k < st.src.length; k++) {
        const v = S[st.src[k]!]!;
        const a = st.a[k]!;
        let r: number;
        switch (st.op) {
          case "sub":
            r = v - a;
            break;
          case "add":
            r = v + a;
            break;
          case "mul":
            r = v * a;
            break;
          case "div":
            r = v / a;
            break;
          case "fill":
            r = v !== v ? a : v;
            break;
          case "clip":
            r = v !== v ? v : Math.min(Math.max(v, a), st.b![k]!);
            break;
        }
        S[st.dst[k]!] = r;
      }
    } else if (st.kind === "lookup") {
      runLookup(st, S);
    } else if (st.kind === "bins") {
      runBins(st, S);
    } else if (st.kind === "func") {
      const f = FUNCS[st.fn];
      for (let k = 0; k < st.src.length; k++) S[st.dst[k]!] = f(S[st.src[k]!]!);
    } else if (st.kind === "product") {
      for (let k = 0; k < st.dst.length; k++) {
        const a = st.a[k]!;
        const b = st.b[k]!;
        S[st.dst[k]!] = b < 0 ? 1 : a < 0 ? S[b]! : S[a]! * S[b]!;
      }
    } else {
      let n = 0;
      for (let k = 0; k < st.src.length; k++) {
        const v = S[st.src[k]!]!;
        if (st.norm === "l1") n += Math.abs(v);
        else if (st.norm === "l2") n += v * v;
        else n = Math.max(n, Math.abs(v));
      }
      if (st.norm === "l2") n = Math.sqrt(n);
      if (n === 0 || n < st.floor) n = 1;
      for (let k = 0; k < st.src.length; k++) S[st.dst[k]!] = S[st.src[k]!]! / n;
    }
  }
  const out = new Float64Array(pre.output.length);
  for (let i = 0; i < out.length; i++) out[i] = S[pre.output[i]!]!;
  return out;
}

/** Structural checks: every slot index in range; returns a message or undefined. */
export function checkPreprocess(pre: Preprocess, nFeatures: number): string | undefined {
  const ok = (i: number) => Number.isInteger(i) && i >= 0 && i < pre.slots;
  if (!Number.isInteger(pre.slots) || pre.slots < nFeatures) return `expected at least ${nFeatures} slots, got ${pre.slots}`;
  if (pre.output.length < 1) return "preprocessing has no outputs";
  for (const [i, st] of pre.steps.entries()) {
    if (st.kind === "product") {
      if (st.a.length !== st.dst.length || st.b.length !== st.dst.length)
        return `step ${i}: expected ${st.dst.length} factors, got ${st.a.length}/${st.b.length}`;
      for (let k = 0; k < st.dst.length; k++) {
        if (!ok(st.dst[k]!) || (st.a[k]! >= 0 && !ok(st.a[k]!)) || (st.b[k]! >= 0 && !ok(st.b[k]!))) return `step ${i}: slot out of range`;
      }
      continue;
    }
    if (st.kind === "lookup") {
      const m = checkLookup(st, ok);
      if (m) return `step ${i}: ${m}`;
      continue;
    }
    if (st.kind === "bins") {
      const n = st.src.length;
      if (st.dst.length !== n || st.edgeStart.length !== n + 1 || st.label.length !== n) return `step ${i}: expected ${n} inputs throughout`;
      if (!ascending(st.edgeStart, st.edges.length)) return `step ${i}: edge ranges out of order`;
      for (let k = 0; k < n; k++) {
        if (!ok(st.src[k]!) || !ok(st.dst[k]!)) return `step ${i}: slot out of range`;
        for (let e = st.edgeStart[k]! + 1; e < st.edgeStart[k + 1]!; e++) if (!(st.edges[e - 1]! <= st.edges[e]!)) return `step ${i}: bin edges not ascending`;
      }
      continue;
    }
    if (st.src.length !== st.dst.length) return `step ${i}: expected ${st.src.length} destinations, got ${st.dst.length}`;
    if (st.kind === "map" && (st.a.length !== st.src.length || (st.op === "clip" && st.b?.length !== st.src.length)))
      return `step ${i}: expected ${st.src.length} constants`;
    for (let k = 0; k < st.src.length; k++) if (!ok(st.src[k]!) || !ok(st.dst[k]!)) return `step ${i}: slot out of range`;
  }
  for (let i = 0; i < pre.output.length; i++) if (!ok(pre.output[i]!)) return `output ${i}: slot out of range`;
  return undefined;
}

/** start[0] = 0, non-decreasing, start[last] = total. */
function ascending(start: Int32Array, total: number): boolean {
  if (start[0] !== 0 || start[start.length - 1] !== total) return false;
  for (let i = 1; i < start.length; i++) if (start[i]! < start[i - 1]!) return false;
  return true;
}

function checkLookup(st: LookupStep, ok: (i: number) => boolean): string | undefined {
  const n = st.src.length;
  if (st.dstStart.length !== n + 1 || st.keyStart.length !== n + 1 || st.tableStart.length !== n + 1 || st.fail.length !== n || st.label.length !== n)
    return `expected ${n} inputs throughout`;
  if (!ascending(st.dstStart, st.dst.length) || !ascending(st.keyStart, st.keys.length) || !ascending(st.tableStart, st.table.length))
    return "ranges out of order";
  for (let k = 0; k < n; k++) {
    if (!ok(st.src[k]!)) return "slot out of range";
    const width = st.dstStart[k + 1]! - st.dstStart[k]!;
    const nKeys = st.keyStart[k + 1]! - st.keyStart[k]!;
    if (st.tableStart[k + 1]! - st.tableStart[k]! !== (nKeys + 2) * width) return `input ${k}: expected ${(nKeys + 2) * width} table values`;
    for (let e = st.keyStart[k]! + 1; e < st.keyStart[k + 1]!; e++) if (!(st.keys[e - 1]! < st.keys[e]!)) return `input ${k}: keys not strictly ascending`;
  }
  for (let j = 0; j < st.dst.length; j++) if (!ok(st.dst[j]!)) return "slot out of range";
  return undefined;
}
