// Random small neighbors models (types.ts NeighborsModel) and rows full of ties, for the property tests of the JS and
// WebAssembly builds (test/knn.property.test.ts, test/wasm/knn.property.test.ts).

import fc from "fast-check";
import { buildNeighbors } from "../../src/ir/neighbors.ts";
import type { ModelIR, NeighborsModel } from "../../src/ir/types.ts";

const coord = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -0.5, 1e-3, 0.1, 1e8, -0) },
  { weight: 1, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
);

/** Row values: the training coordinates, and the values scikit-learn refuses or that overflow the squares. */
const rowCoord = fc.oneof({ weight: 12, arbitrary: coord }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e300, -1e200, 5e-324) });

export const knnArb: fc.Arbitrary<ModelIR> = fc
  .record({
    W: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 30 }),
    kFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    values: fc.array(coord, { minLength: 120, maxLength: 120 }),
    metric: fc.constantFrom<NeighborsModel["metric"]>("euclideanGemm", "euclidean", "manhattan"),
    weights: fc.constantFrom<NeighborsModel["weights"]>("uniform", "distance"),
    sort: fc.constantFrom<NeighborsModel["sort"]>("introsort", "quicksort"),
    strategy: fc.constantFrom<NeighborsModel["strategy"]>("parallelOnX", "parallelOnY"),
    empty: fc.constantFrom(1.7976931348623157e308, Infinity),
    nClasses: fc.integer({ min: 0, max: 4 }),
    nTargets: fc.integer({ min: 1, max: 2 }),
    labels: fc.array(fc.nat(3), { minLength: 30, maxLength: 30 }),
    targets: fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -100, max: 100, noNaN: true })), { minLength: 60, maxLength: 60 }),
  })
  .map((s) => {
    const X = Float64Array.from({ length: s.n * s.W }, (_, i) => s.values[i % s.values.length]!);
    const k = 1 + Math.floor(s.kFrac * (s.n - 1));
    const m = { nSamples: s.n, X, metric: s.metric, k, weights: s.weights, sort: s.sort, strategy: s.strategy, emptyDistance: s.empty, algorithm: "brute" };
    const header = {
      irVersion: 1 as const,
      name: "knn",
      nFeatures: s.W,
      source: { library: "test", version: "0", format: "random" },
      inputCast: "float64" as const,
      transform: "identity" as const,
    };
    if (s.nClasses >= 2) {
      const labels = Int32Array.from({ length: s.n }, (_, i) => s.labels[i]! % s.nClasses);
      const classes = Array.from({ length: s.nClasses }, (_, i) => i * 10 + 1);
      return buildNeighbors(
        { ...header, task: s.nClasses === 2 ? "binary" : "multiclass", nOutputs: s.nClasses, classes, decision: { kind: "vote" }, proba: { kind: "vector" } },
        { ...m, labels },
      );
    }
    const targets = Float64Array.from({ length: s.n * s.nTargets }, (_, i) => s.targets[i % s.targets.length]!);
    return buildNeighbors({ ...header, task: "regression", nOutputs: s.nTargets, decision: { kind: "value" }, proba: { kind: "none" } }, { ...m, targets });
  });

/** Rows: training points (distance 0), midpoints of two (ties), grid points and random ones. */
export function knnRowsArb(ir: ModelIR): fc.Arbitrary<number[][]> {
  const m = ir.model as NeighborsModel;
  const W = ir.nFeatures;
  const train = (i: number) => Array.from(m.X.subarray((i % m.nSamples) * W, ((i % m.nSamples) + 1) * W));
  const row = fc.oneof(
    fc.nat().map(train),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => train(a).map((v, j) => (v + train(b)[j]!) / 2)),
    fc.array(rowCoord, { minLength: W, maxLength: W }),
  );
  return fc.array(row, { minLength: 1, maxLength: 8 });
}
