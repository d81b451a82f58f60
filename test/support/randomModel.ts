// fast-check arbitraries: random tree ensembles built through the validating builder, and rows
// aimed at the hard cases (thresholds and their float32 neighbours, NaN, ±Infinity, -0, subnormals).

import fc from "fast-check";
import { EnsembleBuilder, buildKernel, buildLinear, type TreeInput } from "../../src/ir/builder.ts";
import type { Decision, ModelIR, NumberType, PreStep, Preprocess, ProbaRule, TransformName } from "../../src/ir/types.ts";

/** Next float32 above / below a float32 value. */
export function nextUpF32(v: number): number {
  if (Number.isNaN(v) || v === Infinity) return v;
  const b = new Float32Array([v]);
  const i = new Int32Array(b.buffer);
  if (v === 0) return 1.401298464324817e-45;
  i[0]! += v > 0 ? 1 : -1;
  return b[0]!;
}
export function nextDownF32(v: number): number {
  return -nextUpF32(-v);
}

const f32 = fc.float({ noNaN: true, noDefaultInfinity: true });

interface Spec {
  nFeatures: number;
  nOutputs: number;
  compare: "<" | "<=";
  precision: NumberType;
  thresholds: number[];
  trees: { shape: number[]; seed: number[] }[];
  withCats: boolean;
  vector: boolean;
  transform: number;
  divisor: boolean;
  modes: boolean;
  zeroThreshold: number;
  linear: boolean;
  snap: boolean;
  outputDivisor: boolean;
  nonIntegerInvalid: boolean;
  pre: number[] | null;
}

/**
 * A random preprocessing program over a row of nIn values, from a list of integers: map steps of
 * every op (in place and into new slots), products (incl. copies and constants), a normalization.
 */
export function preprocessFrom(seed: number[], nIn: number): Preprocess {
  let r = 0;
  const rnd = () => seed[r++ % seed.length]! + r * 7919;
  let slots = nIn;
  const steps: PreStep[] = [];
  const consts = [0, -0, 0.5, 3, -2.25, 1e-3, 7.5e10, 1 / 3, NaN];
  const ops = ["sub", "add", "mul", "div", "fill", "clip"] as const;
  const nSteps = 1 + (rnd() % 4);
  for (let s = 0; s < nSteps; s++) {
    const kind = rnd() % 5;
    const n = 1 + (rnd() % Math.min(4, slots));
    const src = Int32Array.from({ length: n }, () => rnd() % slots);
    if (kind <= 2) {
      const op = ops[rnd() % ops.length]!;
      const inPlace = rnd() % 2 === 0;
      const dst = inPlace ? src.slice() : Int32Array.from({ length: n }, (_, k) => slots + k);
      if (!inPlace) slots += n;
      const a = Float64Array.from({ length: n }, () => consts[rnd() % (op === "fill" ? consts.length : consts.length - 1)]!);
      const b = op === "clip" ? Float64Array.from(a, (x) => x + 1 + (rnd() % 3)) : undefined;
      steps.push({ kind: "map", op, src, dst, a, b });
    } else if (kind === 3) {
      const a = Int32Array.from({ length: n }, () => (rnd() % 4 === 0 ? -1 : rnd() % slots));
      const b = Int32Array.from({ length: n }, () => (rnd() % 5 === 0 ? -1 : rnd() % slots));
      const dst = Int32Array.from({ length: n }, (_, k) => slots + k);
      slots += n;
      steps.push({ kind: "product", a, b, dst });
    } else {
      const norm = (["l1", "l2", "max"] as const)[rnd() % 3]!;
      const uniq = Int32Array.from(new Set(src));
      steps.push({ kind: "normalize", norm, floor: rnd() % 2 ? 2.220446049250313e-15 : 0.75, src: uniq, dst: uniq });
    }
  }
  const width = 1 + (rnd() % 6);
  const output = Int32Array.from({ length: width }, () => rnd() % slots);
  return { slots, steps, output };
}

const treeArb = fc.record({
  // each entry: number of internal nodes to grow under a random open leaf
  shape: fc.array(fc.nat(1000), { minLength: 0, maxLength: 24 }),
  seed: fc.array(fc.nat(1 << 30), { minLength: 64, maxLength: 64 }),
});

const specArb: fc.Arbitrary<Spec> = fc.record({
  nFeatures: fc.integer({ min: 1, max: 6 }),
  nOutputs: fc.integer({ min: 1, max: 3 }),
  compare: fc.constantFrom<"<" | "<=">("<", "<="),
  precision: fc.constantFrom<NumberType>("float32", "float64"),
  thresholds: fc.array(fc.oneof(f32, fc.constantFrom(0, -0, 0.5, 1, -1, 1e-40, 3.4e38)), { minLength: 1, maxLength: 6 }),
  trees: fc.array(treeArb, { minLength: 1, maxLength: 5 }),
  withCats: fc.boolean(),
  vector: fc.boolean(),
  transform: fc.nat(17),
  divisor: fc.boolean(),
  modes: fc.boolean(),
  zeroThreshold: fc.constantFrom(1.0000000180025095e-35, 0.5, 0),
  linear: fc.boolean(),
  snap: fc.boolean(),
  outputDivisor: fc.boolean(),
  nonIntegerInvalid: fc.boolean(),
  pre: fc.option(fc.array(fc.nat(1 << 20), { minLength: 16, maxLength: 16 }), { freq: 3 }),
});

function roundT(t: NumberType, v: number): number {
  return t === "float32" ? Math.fround(v) : v;
}

/** A weighted-median ensemble (AdaBoostRegressor): tree weights, and the few values leaves take (ties abound). */
interface MedianSpec {
  weights: number[];
  values: number[];
}

/** Build an IR from a spec. Tree shapes grow by splitting random open leaves (no recursion). */
function buildFromSpec(s: Spec, median?: MedianSpec): ModelIR {
  const nOut = s.nOutputs;
  const transforms: { t: TransformName; d: Decision; p: ProbaRule; task: ModelIR["task"]; n: number }[] = [
    { t: "identity", d: { kind: "value" }, p: { kind: "none" }, task: nOut > 1 ? "multitarget" : "regression", n: nOut },
    { t: "xgb.sigmoid", d: { kind: "threshold", on: "output", op: ">", value: 0.5 }, p: { kind: "binary", numberType: "float32" }, task: "binary", n: 1 },
    { t: "xgb.softmax", d: { kind: "argmax", on: "output" }, p: { kind: "vector" }, task: "multiclass", n: Math.max(2, nOut) },
    { t: "xgb.exp", d: { kind: "value" }, p: { kind: "none" }, task: "regression", n: 1 },
    { t: "identity", d: { kind: "threshold", on: "raw", op: ">=", value: 0 }, p: { kind: "none" }, task: "binary", n: 1 },
    { t: "lgb.sigmoid", d: { kind: "threshold", on: "output", op: ">", value: 0.5 }, p: { kind: "binary", numberType: "float64" }, task: "binary", n: 1 },
    { t: "lgb.softmax", d: { kind: "argmax", on: "output" }, p: { kind: "vector" }, task: "multiclass", n: Math.max(2, nOut) },
    { t: "lgb.exp", d: { kind: "value" }, p: { kind: "none" }, task: "regression", n: 1 },
    { t: "lgb.square", d: { kind: "value" }, p: { kind: "none" }, task: "regression", n: 1 },
    { t: "sk.softmax", d: { kind: "argmax", on: "raw" }, p: { kind: "vector" }, task: "multiclass", n: Math.max(2, nOut) },
    { t: "sk.ovr", d: { kind: "argmax", on: "raw" }, p: { kind: "vector" }, task: "multiclass", n: Math.max(2, nOut) },
    { t: "sk.modhuber", d: { kind: "argmax", on: "raw" }, p: { kind: "vector" }, task: "multiclass", n: Math.max(2, nOut) },
    { t: "sk.modhuber", d: { kind: "threshold", on: "raw", op: ">", value: 0 }, p: { kind: "binary", numberType: "float64" }, task: "binary", n: 1 },
    {
      t: "identity",
      d: { kind: "argmaxGroups", on: "output", groups: nOut >= 2 ? [1, nOut - 1] : [1] },
      p: { kind: "vector" },
      task: "multioutput",
      n: nOut,
    },
    { t: "sk.softmax", d: { kind: "argmaxGroups", on: "raw", groups: [Math.max(2, nOut)] }, p: { kind: "vector" }, task: "multioutput", n: Math.max(2, nOut) },
    { t: "sk.iforest", d: { kind: "threshold", on: "output", op: ">=", value: 0 }, p: { kind: "none" }, task: "binary", n: 1 },
    { t: "lgb.log1pexp", d: { kind: "value" }, p: { kind: "none" }, task: "regression", n: 1 },
    { t: "identity", d: { kind: "threshold", on: "raw", op: ">", value: 0 }, p: { kind: "softmaxHalves" }, task: "binary", n: 1 },
  ];
  const tr = median ? transforms[0]! : transforms[s.transform % transforms.length]!;
  const n = median ? 1 : tr.n;
  const p = s.precision;
  const vector = s.vector && n > 1;
  const pre = s.pre ? preprocessFrom(s.pre, s.nFeatures) : undefined;
  const W = pre ? pre.output.length : s.nFeatures;
  const b = new EnsembleBuilder(
    {
      irVersion: 1,
      name: "prop",
      task: tr.task,
      nFeatures: s.nFeatures,
      classes: tr.task === "binary" ? [0, 1] : tr.task === "multiclass" ? Array.from({ length: n }, (_, i) => i) : undefined,
      outputClasses: tr.d.kind === "argmaxGroups" ? tr.d.groups.map((g, gi) => Array.from({ length: g }, (_, i) => gi * 10 + i - 1)) : undefined,
      source: { library: "test", version: "0", format: "random" },
      inputCast: p,
      nOutputs: n,
      transform: tr.t,
      transformArg:
        tr.t === "lgb.sigmoid"
          ? 0.5 + (s.trees.length % 3)
          : tr.t === "sk.softmax"
            ? 1 + (s.trees.length % 2)
            : tr.t === "sk.ovr"
              ? s.trees.length % 2
              : tr.t === "sk.iforest"
                ? -0.5 + s.trees.length / 16
                : undefined,
      outputDivisor: s.outputDivisor ? s.trees.length : undefined,
      preprocess: pre,
      inputZeroSnap: s.snap ? 1.0000000180025095e-35 : undefined,
      decision: tr.d,
      proba: tr.p,
      // IsolationForest: predictRaw is decision_function, scoreSamples score_samples (and, on some, the plain IR)
      outlier: tr.t === "sk.iforest" && s.trees.length % 3 !== 0 ? { kind: "scoreMinusOffset" } : undefined,
    },
    {
      thresholdType: p,
      leafType: p,
      compare: s.compare,
      zeroThreshold: s.zeroThreshold,
      categorical: {
        memberGoes: s.compare === "<" ? "right" : "left",
        invalidGoes: s.nonIntegerInvalid && s.modes ? "default" : "nonmember",
        categoryLimit: 1 << 24,
        truncateFirst: s.compare !== "<",
        nonIntegerInvalid: s.nonIntegerInvalid ? true : undefined,
      },
      accumulate: p,
      base: median ? [0] : Array.from({ length: n }, (_, k) => roundT(p, s.thresholds[k % s.thresholds.length]! / 7)),
      divisor: s.divisor && !median ? s.trees.length : undefined,
      aggregate: median ? { kind: "weightedMedian", weights: Float64Array.from(median.weights.slice(0, s.trees.length)) } : undefined,
    },
  );
  s.trees.forEach((ts, ti) => {
    let r = 0;
    const rnd = () => ts.seed[r++ % ts.seed.length]! + r * 7919;
    const left = [-1];
    const right = [-1];
    const open = [0];
    for (const g of ts.shape) {
      const at = open.splice(g % open.length, 1)[0]!;
      const l = left.length;
      left.push(-1, -1);
      right.push(-1, -1);
      left[at] = l;
      right[at] = l + 1;
      open.push(l, l + 1);
    }
    const nn = left.length;
    const K = vector ? n : 1;
    const input: TreeInput = {
      left,
      right,
      feature: Array.from({ length: nn }, () => rnd() % W),
      threshold: Array.from({ length: nn }, () => roundT(p, s.thresholds[rnd() % s.thresholds.length]!)),
      defaultLeft: Array.from({ length: nn }, () => rnd() % 2),
      missingMode: s.modes ? Array.from({ length: nn }, () => rnd() % 3) : undefined,
      categorical: s.withCats ? Array.from({ length: nn }, () => (rnd() % 4 === 0 ? 1 : 0)) : undefined,
      categoryValues: () => Array.from({ length: 1 + (rnd() % 4) }, () => rnd() % 70),
      leafValues: Array.from({ length: nn * K }, () =>
        roundT(p, median ? median.values[rnd() % median.values.length]! : ((rnd() % 2001) - 1000) / 64 + s.thresholds[0]! / 3),
      ),
      leafSize: K,
      output: vector ? 0 : ti % n,
      linear:
        s.linear && !vector && !median
          ? (_node) => {
              const k = rnd() % 3;
              const feats = Array.from({ length: k }, () => rnd() % W);
              return { constant: ((rnd() % 200) - 100) / 8, features: feats, coeffs: feats.map(() => ((rnd() % 2001) - 1000) / 256) };
            }
          : undefined,
    };
    b.addTree(input, `$.trees[${ti}]`);
  });
  return b.build();
}

export const modelArb: fc.Arbitrary<ModelIR> = specArb.map((s) => buildFromSpec(s));

/** Tree ensembles with numeric splits and scalar leaves only (no categories, zero band, vector or linear leaves): the ones the table style's batches walk in lockstep. */
export const numericTreesArb: fc.Arbitrary<ModelIR> = specArb.map((s) =>
  buildFromSpec({
    ...s,
    withCats: false,
    vector: false,
    modes: false,
    linear: false,
    // every other tree deep and unbalanced (each split under the last or the last-but-one open leaf): depths past
    // the lockstep's early-exit check
    trees: s.trees.map((t, i) => (i % 2 === 0 ? { ...t, shape: t.shape.map((g, k) => Math.max(0, k - (g % 2))) } : t)),
  }),
);

/**
 * Weighted-median ensembles (AdaBoostRegressor): up to 40 trees (the merge sort's passes), leaves from a few values
 * (ties across trees, -0 and +0), weights from a few values (equal weights, cumulative sums exactly at half).
 */
export const medianArb: fc.Arbitrary<ModelIR> = fc
  .record({
    spec: specArb,
    trees: fc.array(treeArb, { minLength: 1, maxLength: 40 }),
    weights: fc.oneof(
      // small integers: cumulative sums often land exactly on half the total (the >= of the median test)
      fc.array(fc.constantFrom(1, 1, 2), { minLength: 40, maxLength: 40 }),
      fc.array(fc.constantFrom(1, 2, 0.5, 0.1, 3, 1e-3, 0.7000000000000001, 1 / 3), { minLength: 40, maxLength: 40 }),
    ),
    values: fc.array(fc.oneof(f32, fc.constantFrom(0, -0, 1, -1, 0.5, 1e300)), { minLength: 1, maxLength: 5 }),
  })
  .map(({ spec, trees, weights, values }) => buildFromSpec({ ...spec, trees }, { weights, values }));

export const linearArb: fc.Arbitrary<ModelIR> = fc
  .record({
    nFeatures: fc.integer({ min: 1, max: 6 }),
    nOutputs: fc.integer({ min: 1, max: 3 }),
    w: fc.array(f32, { minLength: 24, maxLength: 24 }),
    skip: fc.boolean(),
    p: fc.constantFrom<NumberType>("float32", "float64"),
    pre: fc.option(fc.array(fc.nat(1 << 20), { minLength: 16, maxLength: 16 }), { freq: 2 }),
  })
  .map(({ nFeatures, nOutputs, w, skip, p, pre: preSeed }) => {
    const pre = preSeed ? preprocessFrom(preSeed, nFeatures) : undefined;
    const W = pre ? pre.output.length : nFeatures;
    return buildLinear(
      {
        irVersion: 1,
        name: "lin",
        task: nOutputs > 1 ? "multitarget" : "regression",
        nFeatures,
        source: { library: "test", version: "0", format: "random" },
        inputCast: p,
        nOutputs,
        transform: "identity",
        decision: { kind: "value" },
        proba: { kind: "none" },
        preprocess: pre,
      },
      {
        weights: Float64Array.from({ length: W * nOutputs }, (_, i) => w[i % w.length]! * (1 + Math.floor(i / w.length))),
        bias: w.slice(0, nOutputs).map((v) => v / 3),
        accumulate: p,
        missing: skip ? "skip" : "propagate",
      },
    );
  });

/** Random kernel machines: every kernel, single and one-vs-one forms, every raw shape, vote decisions. */
export const kernelArb: fc.Arbitrary<ModelIR> = fc
  .record({
    nFeatures: fc.integer({ min: 1, max: 5 }),
    kernel: fc.constantFrom<"linear" | "poly" | "rbf" | "sigmoid">("linear", "poly", "rbf", "sigmoid"),
    nClasses: fc.integer({ min: 1, max: 4 }),
    counts: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
    values: fc.array(fc.oneof(f32, fc.constantFrom(0, -0, 1, -1, 0.5)), { minLength: 64, maxLength: 64 }),
    gamma: fc.constantFrom(0.1, 0.5, 1, 2.5),
    degree: fc.integer({ min: 0, max: 4 }),
    shape: fc.nat(3),
    pre: fc.option(fc.array(fc.nat(1 << 20), { minLength: 16, maxLength: 16 }), { freq: 3 }),
    // libsvm probabilities (SVC probability=True): Platt's A (usually negative) and B per pair
    platt: fc.option(fc.array(fc.constantFrom(-3.5, -1, -0.25, 0, 0.5, -40, 2.75), { minLength: 12, maxLength: 12 }), { freq: 2 }),
  })
  .map((s) => {
    const pre = s.pre ? preprocessFrom(s.pre, s.nFeatures) : undefined;
    const W = pre ? pre.output.length : s.nFeatures;
    const single = s.nClasses === 1;
    const K = single ? 1 : s.nClasses;
    const counts = Int32Array.from(s.counts.slice(0, K));
    const nSV = counts.reduce((a, b) => a + b, 0);
    const v = (i: number) => s.values[i % s.values.length]! / (1 + (i % 7));
    const nDec = single ? 1 : (K * (K - 1)) / 2;
    const rawShape = single ? "single" : K === 2 && s.shape % 2 === 0 ? "negate" : s.shape % 2 === 0 ? "ovr" : "pairs";
    const nOut = { single: 1, negate: 1, pairs: nDec, ovr: K }[rawShape];
    // OneClassSVM: a single decision, thresholded (> 0), predictRaw = decision_function, scoreSamples = it + offset
    const oneClass = single && s.shape % 2 === 1;
    return buildKernel(
      {
        irVersion: 1,
        name: "kern",
        task: oneClass ? "binary" : single ? "regression" : K === 2 ? "binary" : "multiclass",
        nFeatures: s.nFeatures,
        classes: oneClass ? [-1, 1] : single ? undefined : Array.from({ length: K }, (_, i) => i * 10),
        source: { library: "test", version: "0", format: "random" },
        inputCast: "float64",
        nOutputs: nOut,
        transform: "identity",
        decision: oneClass ? { kind: "threshold", on: "raw", op: ">", value: 0 } : single ? { kind: "value" } : { kind: "vote" },
        outlier: oneClass ? { kind: "decisionPlusOffset", offset: -v(9) } : undefined,
        proba:
          s.platt && !single
            ? {
                kind: "libsvm",
                probA: Float64Array.from({ length: nDec }, (_, i) => s.platt![i]!),
                probB: Float64Array.from({ length: nDec }, (_, i) => s.platt![11 - i]! / 4),
              }
            : { kind: "none" },
        preprocess: pre,
      },
      {
        kernel: s.kernel,
        gamma: s.gamma,
        coef0: v(5),
        degree: s.degree,
        nSV,
        vectors: Float64Array.from({ length: nSV * W }, (_, i) => v(i + 11)),
        form: single ? "single" : "ovo",
        counts: single ? new Int32Array(0) : counts,
        coef: Float64Array.from({ length: single ? nSV : (K - 1) * nSV }, (_, i) => v(i + 3)),
        intercept: Float64Array.from({ length: nDec }, (_, i) => v(i + 29)),
        rawShape,
      },
    );
  });

/** Interesting values for a model: its thresholds, their float32 neighbours and hard specials. */
export function interestingValues(ir: ModelIR): number[] {
  const vals = new Set<number>([
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    1e-45,
    -1e-45,
    1e-310,
    3.5e38,
    -3.5e38,
    1e39,
    0.5,
    7,
    69,
    70,
    -0.5,
    16777216,
    1e-36,
    -1e-36,
    1.0000000180025095e-35,
    -1.0000000180025095e-35,
    1.0000000180025097e-35,
  ]);
  if (ir.model.kind === "trees") {
    const z = ir.model.zeroThreshold;
    for (const v of [z, -z, z * 2, -z * 2, z / 2]) vals.add(v);
    for (const t of ir.model.trees) {
      for (let i = 0; i < t.nNodes; i++) {
        const v = t.threshold[i]!;
        vals.add(v);
        vals.add(nextUpF32(Math.fround(v)));
        vals.add(nextDownF32(Math.fround(v)));
        // doubles that round to the float32 threshold, on either side
        const up = nextUpF32(Math.fround(v));
        if (Number.isFinite(up)) vals.add(v + (up - v) / 4);
        const down = nextDownF32(Math.fround(v));
        if (Number.isFinite(down)) vals.add(v - (v - down) / 4);
        vals.add(v + 0.5);
      }
    }
    for (const c of ir.model.categories)
      for (const x of c.values) {
        vals.add(x);
        vals.add(x + 0.5);
      }
  }
  return [...vals];
}

export function rowsArb(ir: ModelIR): fc.Arbitrary<number[][]> {
  const pool = interestingValues(ir);
  const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.double() });
  return fc.array(fc.array(value, { minLength: ir.nFeatures, maxLength: ir.nFeatures }), { minLength: 1, maxLength: 30 });
}
