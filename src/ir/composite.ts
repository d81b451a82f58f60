// The meaning of the IR's composite models (types.ts CompositeModel): scikit-learn meta-estimators whose members are
// complete models. Written once: the evaluator uses compositeRaw, the emitters print the same loop. The member
// evaluators are passed in (evaluate.ts imports this file).

import { lgbSigmoid } from "../runtime/lgbSigmoid.ts";
import { skPairwiseSum } from "../runtime/skSoftmax.ts";
import type { CalibrationMap, CompositeMember, CompositeModel, ModelIR } from "./types.ts";

export interface MemberEvaluators {
  predict(ir: ModelIR, row: ArrayLike<number>): number | string | Float64Array;
  raw(ir: ModelIR, row: ArrayLike<number>): Float64Array;
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
  if (m.use === "proba" || m.use === "raw") {
    const p = m.use === "raw" ? ev.raw(m.ir, row) : ev.proba(m.ir, row);
    if (!p) throw new Error("internal: a proba member without predictProba");
    return Array.from(p, (v, j): [number, number] => [m.slots ? m.slots[j]! : j, v]).filter(([slot]) => slot >= 0);
  }
  const v = ev.predict(m.ir, row);
  if (typeof v !== "number") throw new Error("internal: a composite member's predict must be a number");
  return m.use === "vote" ? [[v, 1]] : [[m.slots ? m.slots[0]! : 0, v]];
}

/** Number of slots the members write: the raw scores, or the final model's leading columns. */
export function compositeSlots(c: CompositeModel, nOutputs: number): number {
  return c.final ? c.final.width : c.calibrate ? c.calibrate.maps.length : nOutputs;
}

/** One calibrator applied to a value (types.ts CalibrationMap). */
export function calibrateValue(m: CalibrationMap, t: number): number {
  if (m.kind === "sigmoid") return lgbSigmoid(-(m.a * t + m.b), 1);
  const v = t !== t ? t : Math.min(Math.max(t, m.lo), m.hi);
  return npInterp(m.x, m.y, v);
}

/** numpy's interp (compiled_base.c arr_interp) with its default left/right values. */
export function npInterp(x: ArrayLike<number>, y: ArrayLike<number>, v: number): number {
  const n = x.length;
  if (v !== v) return v;
  if (v < x[0]!) return y[0]!;
  if (v >= x[n - 1]!) return y[n - 1]!;
  let j = 0;
  while (j + 1 < n && x[j + 1]! <= v) j++;
  if (x[j] === v) return y[j]!;
  const slope = (y[j + 1]! - y[j]!) / (x[j + 1]! - x[j]!);
  let r = slope * (v - x[j]!) + y[j]!;
  if (r !== r) {
    r = slope * (v - x[j + 1]!) + y[j + 1]!;
    if (r !== r && y[j] === y[j + 1]) r = y[j]!;
  }
  return r;
}

/** CalibratedClassifierCV's probabilities from the calibrators' inputs (types.ts CompositeModel.calibrate). */
export function calibrateSlots(cal: NonNullable<CompositeModel["calibrate"]>, s: Float64Array, K: number): Float64Array {
  const p = new Float64Array(K);
  cal.maps.forEach((m, j) => {
    p[cal.classOf[j]!] = calibrateValue(m, s[j]!);
  });
  if (cal.normalize === "binary") p[0] = 1 - p[1]!;
  else {
    const d = 0 + skPairwiseSum(p, 0, K);
    for (let k = 0; k < K; k++) p[k] = d !== 0 ? p[k]! / d : 1 / K;
  }
  for (let k = 0; k < K; k++) if (p[k]! > 1 && p[k]! <= 1 + 1e-5) p[k] = 1;
  return p;
}

/** The composite's raw scores (nOutputs slots) from the cast row x. */
export function compositeRaw(c: CompositeModel, nOutputs: number, x: ArrayLike<number>, ev: MemberEvaluators): Float64Array {
  const z = compositeCombine(c, nOutputs, x, ev);
  if (c.calibrate) return calibrateSlots(c.calibrate, z, nOutputs);
  return c.final ? ev.raw(c.final.ir, z) : z;
}

/** The combined slots: the raw scores, or (with a final model) the final model's row. */
export function compositeCombine(c: CompositeModel, nOutputs: number, x: ArrayLike<number>, ev: MemberEvaluators): Float64Array {
  const n = compositeSlots(c, nOutputs);
  const acc = new Float64Array(n);
  const seen = new Uint8Array(n);
  for (const m of c.members) {
    for (const [slot, v0] of memberContributions(m, x, ev)) {
      const v = m.weight !== undefined ? v0 * m.weight : v0;
      if (c.sum === "first" && seen[slot] === 0) acc[slot] = v;
      else acc[slot] = acc[slot]! + v;
      seen[slot] = 1;
    }
  }
  if (c.divisor !== undefined) for (let k = 0; k < n; k++) acc[k] = acc[k]! / c.divisor;
  if (c.offset) for (let k = 0; k < n; k++) acc[k] = acc[k]! + c.offset[k]!;
  if (!c.final) return acc;
  const z = new Float64Array(c.final.ir.nFeatures);
  z.set(acc);
  if (c.final.passthrough) for (let i = 0; i < z.length - n; i++) z[n + i] = x[i]!;
  return z;
}

/** Structural checks of a composite; returns a message or undefined. */
export function checkComposite(c: CompositeModel, width: number, nOutputs: number, probaOf: (ir: ModelIR) => number): string | undefined {
  if (c.members.length === 0) return "a composite needs at least one member";
  const n = compositeSlots(c, nOutputs);
  const inRange = (s: Int32Array, len: number, drop: boolean) => s.length === len && s.every((v) => (drop && v < 0) || (v >= 0 && v < n));
  for (const [i, m] of c.members.entries()) {
    const nf = m.features ? m.features.length : width;
    if (m.features?.some((f) => !Number.isInteger(f) || f < 0 || f >= width)) return `member ${i}: feature index out of range`;
    if (m.ir.nFeatures !== nf) return `member ${i}: expects ${m.ir.nFeatures} features, gets ${nf}`;
    if (m.use === "proba" || m.use === "raw") {
      const w = m.use === "raw" ? m.ir.nOutputs : probaOf(m.ir);
      if (w === 0) return `member ${i} has no predict_proba`;
      if (m.slots ? !inRange(m.slots, w, true) : w > n) return `member ${i}: slots out of range`;
    } else if (m.use === "vote") {
      const cl = m.ir.classes;
      if (!cl?.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < n)) return `member ${i}: votes need class labels 0..${n - 1}`;
    } else {
      if (m.slots ? !inRange(m.slots, 1, false) : n < 1) return `member ${i}: slot out of range`;
      if (m.ir.decision.kind === "argmaxGroups" || (m.ir.decision.kind === "value" && m.ir.nOutputs !== 1)) return `member ${i}: expected one predicted value`;
      if (m.ir.classes?.some((v) => typeof v !== "number")) return `member ${i}: expected numeric class labels`;
    }
  }
  if (c.offset && c.offset.length !== n) return `expected ${n} offsets, got ${c.offset.length}`;
  if (c.calibrate) {
    const cal = c.calibrate;
    if (c.final) return "a composite cannot both calibrate and stack";
    if (cal.classOf.length !== cal.maps.length || cal.classOf.some((k) => k < 0 || k >= nOutputs)) return "calibrated classes out of range";
    if (cal.normalize === "binary" && nOutputs !== 2) return "binary calibration needs 2 classes";
    for (const m of cal.maps)
      if (m.kind === "isotonic" && (m.x.length < 1 || m.x.length !== m.y.length || m.x.some((v, i) => !Number.isFinite(v) || (i > 0 && !(v > m.x[i - 1]!)))))
        return "isotonic thresholds must be finite and increasing, one value each";
  }
  if (c.final) {
    const f = c.final;
    if (f.ir.nFeatures !== f.width + (f.passthrough ? width : 0))
      return `the final estimator expects ${f.ir.nFeatures} features, gets ${f.width}${f.passthrough ? ` + ${width}` : ""}`;
    if (f.ir.nOutputs !== nOutputs) return `the final estimator has ${f.ir.nOutputs} outputs, expected ${nOutputs}`;
  }
  return undefined;
}
