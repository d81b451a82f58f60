// The meaning of the IR's composite models (types.ts CompositeModel): scikit-learn meta-estimators whose members are
// complete models. Written once: the evaluator uses compositeRaw, the emitters print the same loop. The member
// evaluators are passed in (evaluate.ts imports this file).

import type { CompositeMember, CompositeModel, ModelIR } from "./types.ts";

export interface MemberEvaluators {
  predict(ir: ModelIR, row: ArrayLike<number>): number | string | Float64Array;
  proba(ir: ModelIR, row: ArrayLike<number>): Float64Array | undefined;
}

/** The member's row: the parent's model input, or its columns `features`. */
export function memberRow(m: CompositeMember, x: ArrayLike<number>): ArrayLike<number> {
  if (!m.features) return x;
  const f = m.features;
  const out = new Float64Array(f.length);
  for (let j = 0; j < f.length; j++) out[j] = x[f[j]!]!;
  return out;
}

/** Each member's contribution as (slot, value) pairs, in the order they are added. */
export function memberContributions(m: CompositeMember, x: ArrayLike<number>, ev: MemberEvaluators): [number, number][] {
  const row = memberRow(m, x);
  if (m.use === "proba") {
    const p = ev.proba(m.ir, row);
    if (!p) throw new Error("internal: a proba member without predictProba");
    return Array.from(p, (v, j) => [m.slots ? m.slots[j]! : j, v]);
  }
  const v = ev.predict(m.ir, row);
  if (typeof v !== "number") throw new Error("internal: a composite member's predict must be a number");
  return m.use === "vote" ? [[v, 1]] : [[0, v]];
}

/** The composite's raw scores (nOutputs slots) from the cast row x. */
export function compositeRaw(c: CompositeModel, nOutputs: number, x: ArrayLike<number>, ev: MemberEvaluators): Float64Array {
  const acc = new Float64Array(nOutputs);
  const seen = new Uint8Array(nOutputs);
  for (const m of c.members) {
    for (const [slot, v0] of memberContributions(m, x, ev)) {
      const v = m.weight !== undefined ? v0 * m.weight : v0;
      if (c.sum === "first" && seen[slot] === 0) acc[slot] = v;
      else acc[slot] = acc[slot]! + v;
      seen[slot] = 1;
    }
  }
  if (c.divisor !== undefined) for (let k = 0; k < nOutputs; k++) acc[k] = acc[k]! / c.divisor;
  return acc;
}

/** Structural checks of a composite; returns a message or undefined. */
export function checkComposite(c: CompositeModel, width: number, nOutputs: number, probaOf: (ir: ModelIR) => number): string | undefined {
  if (c.members.length === 0) return "a composite needs at least one member";
  for (const [i, m] of c.members.entries()) {
    const n = m.features ? m.features.length : width;
    if (m.features && m.features.some((f) => !Number.isInteger(f) || f < 0 || f >= width)) return `member ${i}: feature index out of range`;
    if (m.ir.nFeatures !== n) return `member ${i}: expects ${m.ir.nFeatures} features, gets ${n}`;
    if (m.use === "proba") {
      const w = probaOf(m.ir);
      if (w === 0) return `member ${i} has no predict_proba`;
      const slots = m.slots ?? Int32Array.from({ length: w }, (_, j) => j);
      if (slots.length !== w || slots.some((s) => s < 0 || s >= nOutputs)) return `member ${i}: probability slots out of range`;
    } else if (m.use === "vote") {
      const cl = m.ir.classes;
      if (!cl || !cl.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < nOutputs))
        return `member ${i}: votes need class labels 0..${nOutputs - 1}`;
    } else if (m.ir.decision.kind !== "value" || m.ir.nOutputs !== 1 || nOutputs !== 1) return `member ${i}: expected a single-output regressor`;
  }
  return undefined;
}
