// The meaning of the IR's input preprocessing (types.ts Preprocess): one plain interpreter, used by
// the evaluator, the builder's checks and the parity bound. Emitters print the same loops.

import type { ModelIR, Preprocess } from "./types.ts";

/** Number of values the model itself reads: the preprocessing's outputs, or the row. */
export function modelWidth(ir: Pick<ModelIR, "nFeatures" | "preprocess">): number {
  return ir.preprocess ? ir.preprocess.output.length : ir.nFeatures;
}

/** Run the program on a row (nFeatures values); returns the model's input (float64, before the cast). */
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
    if (st.src.length !== st.dst.length) return `step ${i}: expected ${st.src.length} destinations, got ${st.dst.length}`;
    if (st.kind === "map" && (st.a.length !== st.src.length || (st.op === "clip" && st.b?.length !== st.src.length)))
      return `step ${i}: expected ${st.src.length} constants`;
    for (let k = 0; k < st.src.length; k++) if (!ok(st.src[k]!) || !ok(st.dst[k]!)) return `step ${i}: slot out of range`;
  }
  for (let i = 0; i < pre.output.length; i++) if (!ok(pre.output[i]!)) return `output ${i}: slot out of range`;
  return undefined;
}
