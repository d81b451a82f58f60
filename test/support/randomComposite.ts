// Random composite models (meta-estimators) for the property tests: small random members (tree ensembles, linear
// and kernel models; proba, predict, raw and vote contributions; feature gathers, weights, both sums, a divisor),
// composites inside composites, and stacks (a final model over the members' slots, passthrough).

import fc from "fast-check";
import { probaWidth, type CalibrationMap, type CompositeMember, type ModelIR } from "../../src/ir/types.ts";
import { interestingValues, kernelArb, linearArb, modelArb } from "./randomModel.ts";

/** Classes a member's predict can return as a vote (class indices), or 0 when it cannot vote. */
function voteClasses(ir: ModelIR): number {
  const d = ir.decision;
  if (d.kind === "threshold") return 2;
  if (d.kind === "argmax") return ir.nOutputs;
  if (d.kind === "vote" && ir.model.kind === "kernel") return ir.model.counts.length;
  return 0;
}

const memberArb = fc.oneof(modelArb, linearArb, kernelArb);

export const compositeArb: fc.Arbitrary<ModelIR> = fc
  .record({
    width: fc.integer({ min: 1, max: 6 }),
    members: fc.array(
      fc.record({
        ir: memberArb,
        gather: fc.array(fc.nat(5), { minLength: 12, maxLength: 12 }),
        whole: fc.boolean(),
        weight: fc.option(fc.constantFrom(1, 2, 0.5, 0.7, 1 / 3, 1e-3, 3), { nil: undefined }),
        preferVote: fc.boolean(),
        slotSeed: fc.array(fc.nat(7), { minLength: 8, maxLength: 8 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    first: fc.boolean(),
    divisor: fc.option(fc.constantFrom(3, 2.5, 7, 0.1), { nil: undefined }),
    offset: fc.option(fc.constantFrom(-0, 0.5, 152.13348416289594, -1e-300), { nil: undefined }),
  })
  .map(({ width, members: specs, first, divisor, offset }) => {
    const members: CompositeMember[] = [];
    for (const s of specs) {
      const nf = s.ir.nFeatures;
      const features = s.whole && nf === width ? undefined : Int32Array.from({ length: nf }, (_, j) => s.gather[j % 12]! % width);
      const pw = probaWidth(s.ir);
      const vc = voteClasses(s.ir);
      let m: CompositeMember;
      if (vc > 0 && (s.preferVote || pw === 0)) m = { ir: { ...s.ir, classes: undefined }, use: "vote" };
      else if (pw > 0) m = { ir: s.ir, use: "proba", slots: Int32Array.from({ length: pw }, (_, j) => (j + s.slotSeed[j % 8]!) % Math.max(pw, 3)) };
      else if (s.ir.decision.kind === "value" && s.ir.nOutputs === 1) m = { ir: s.ir, use: "predict" };
      else continue;
      members.push({ ...m, ...(features ? { features } : {}), ...(s.weight !== undefined ? { weight: s.weight } : {}) });
    }
    const K = Math.max(1, ...members.map((m) => (m.use === "proba" ? Math.max(...Array.from(m.slots!)) + 1 : m.use === "vote" ? voteClasses(m.ir) : 1)));
    const vote = members.some((m) => m.use === "vote");
    const parent: ModelIR = {
      irVersion: 1,
      name: "composite",
      task: "multiclass",
      nFeatures: width,
      source: { library: "test", version: "0", format: "random" },
      inputCast: "float64",
      nOutputs: K,
      model: {
        kind: "composite",
        members,
        sum: first && !vote ? "first" : "zero",
        ...(divisor ? { divisor } : {}),
        ...(offset !== undefined ? { offset: new Array(K).fill(offset) } : {}),
      },
      transform: "identity",
      decision: { kind: "argmax", on: "raw" },
      proba: { kind: "vector" },
    };
    return parent;
  })
  .filter((ir) => ir.model.kind === "composite" && ir.model.members.length > 0);

/**
 * Stacking: a random final model (trees or linear) reading the members' slots (proba columns, some dropped; raw scores;
 * predictions), then the row itself when passthrough; its rules are the composite's.
 */
export const stackArb: fc.Arbitrary<ModelIR> = fc
  .record({
    final: fc.oneof(modelArb, linearArb).filter((f) => !f.outlier && f.decision.kind !== "vote" && f.proba.kind !== "libsvm"),
    base: compositeArb,
    passthrough: fc.boolean(),
    seed: fc.array(fc.nat(50), { minLength: 16, maxLength: 16 }),
  })
  .map(({ final, base, passthrough, seed }): ModelIR => {
    if (base.model.kind !== "composite") return base;
    const W = base.nFeatures;
    const pt = passthrough && final.nFeatures > W;
    const width = final.nFeatures - (pt ? W : 0);
    const members = base.model.members
      .filter((m) => m.use !== "vote")
      .map((m, i): CompositeMember => {
        const use = i % 3 === 2 ? "raw" : m.use;
        const n = use === "proba" ? probaWidth(m.ir) : use === "raw" ? m.ir.nOutputs : 1;
        const slots = Int32Array.from({ length: n }, (_, j) => (seed[(i * 3 + j) % 16]! % (width + (use === "predict" ? 0 : 1))) - (use === "predict" ? 0 : 1));
        return { ...m, use, slots };
      });
    if (members.length === 0) return base;
    return {
      ...final,
      name: "stack",
      nFeatures: W,
      featureNames: undefined,
      featureTypes: undefined,
      preprocess: undefined,
      inputZeroSnap: undefined,
      inputCast: "float64",
      model: { kind: "composite", members, sum: "first", final: { ir: final, width, passthrough: pt } },
    };
  });

/** Sometimes a composite inside a composite (a Voting of Baggings), with a gather of the outer row. */
export const nestedArb: fc.Arbitrary<ModelIR> = fc.oneof(
  { weight: 3, arbitrary: compositeArb },
  { weight: 2, arbitrary: stackArb },
  {
    weight: 1,
    arbitrary: fc.tuple(compositeArb, fc.nat(5), fc.boolean()).map(([inner, shift, first]): ModelIR => {
      const width = inner.nFeatures + shift;
      const features = Int32Array.from({ length: inner.nFeatures }, (_, j) => (j + shift) % width);
      const members: CompositeMember[] = [
        { ir: inner, use: "proba", features },
        { ir: inner, use: "proba", features: features.slice().reverse(), weight: 0.7 },
      ];
      return { ...inner, nFeatures: width, model: { kind: "composite", members, sum: first ? "first" : "zero", divisor: 1.7 } };
    }),
  },
);

export function rowsOf(ir: ModelIR): fc.Arbitrary<number[][]> {
  const pool = new Set<number>(interestingValues(ir));
  const stack = [ir];
  for (let m = stack.pop(); m; m = stack.pop()) {
    for (const v of interestingValues(m)) pool.add(v);
    if (m.model.kind === "composite") for (const c of m.model.members) stack.push(c.ir);
  }
  const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.double() });
  return fc.array(fc.array(value, { minLength: ir.nFeatures, maxLength: ir.nFeatures }), { minLength: 1, maxLength: 12 });
}

const isoArb = fc
  .array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 0.5, 1)), { minLength: 1, maxLength: 6 })
  .chain((xs) => {
    const x = [...new Set(xs.map((v) => (Object.is(v, -0) ? 0 : v)))].sort((a, b) => a - b);
    return fc.record({
      x: fc.constant(Float64Array.from(x)),
      y: fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: x.length, maxLength: x.length })
        .map((y) => Float64Array.from(y.sort((a, b) => a - b))),
      pad: fc.constantFrom(0, 0.25),
    });
  })
  .map(({ x, y, pad }): CalibrationMap => ({ kind: "isotonic", x, y, lo: x[0]! - pad, hi: x[x.length - 1]! + pad }));

const mapArb: fc.Arbitrary<CalibrationMap> = fc.oneof(
  fc
    .record({ a: fc.constantFrom(-1.5, -3.25, 0.5, -0, 40), b: fc.constantFrom(0, 0.125, -2, 1e-3) })
    .map(({ a, b }): CalibrationMap => ({ kind: "sigmoid", a, b })),
  isoArb,
);

/** CalibratedClassifierCV's calibrated classifiers: a composite's slots through random calibrators, normalized. */
export const calibratedArb: fc.Arbitrary<ModelIR> = fc
  .record({
    base: compositeArb,
    maps: fc.array(mapArb, { minLength: 8, maxLength: 8 }),
    extra: fc.nat(2),
    seed: fc.array(fc.nat(9), { minLength: 8, maxLength: 8 }),
  })
  .map(({ base, maps, extra, seed }): ModelIR => {
    if (base.model.kind !== "composite") return base;
    const NS = base.nOutputs;
    const K = Math.max(2, NS + extra);
    const binary = K === 2 && seed[0]! % 2 === 0;
    const cal = {
      maps: maps.slice(0, NS).concat(Array.from({ length: Math.max(0, NS - 8) }, () => maps[0]!)),
      classOf: Int32Array.from({ length: NS }, (_, j) => (binary ? 1 : seed[j % 8]! % K)),
      normalize: binary ? ("binary" as const) : ("sum" as const),
    };
    return {
      ...base,
      nOutputs: K,
      model: { ...base.model, offset: undefined, calibrate: cal },
      decision: { kind: "argmax", on: "raw" },
      proba: { kind: "vector" },
    };
  });
