// The validating builder rejects malformed trees with "expected N, got M" messages and JSON paths.

import { describe, expect, it } from "vitest";
import type { TreeInput } from "../../src/ir/builder.ts";
import { evaluateRaw } from "../../src/ir/evaluate.ts";
import { compileErrorOf } from "../support/compileError.ts";
import { testEnsemble } from "../support/testEnsemble.ts";

function builder(nFeatures = 3, nOutputs = 1, aggregate?: { kind: "weightedMedian"; weights: Float64Array }) {
  return testEnsemble({ name: "t", nFeatures, numbers: "float64", base: Array(nOutputs).fill(0), options: { aggregate }, file: "m.json" });
}

const stump = (): TreeInput => ({
  left: [1, -1, -1],
  right: [2, -1, -1],
  feature: [0, 0, 0],
  threshold: [0.5, 0, 0],
  defaultLeft: [1, 0, 0],
  leafValues: [0, 10, 20],
  leafSize: 1,
  output: 0,
});

const error = compileErrorOf;

describe("EnsembleBuilder", () => {
  it("builds a valid stump and evaluates it", () => {
    const b = builder();
    b.addTree(stump(), "$.trees[0]");
    const ir = b.build();
    expect(evaluateRaw(ir, [0.5, 0, 0])[0]).toBe(10);
    expect(evaluateRaw(ir, [0.6, 0, 0])[0]).toBe(20);
    expect(evaluateRaw(ir, [NaN, 0, 0])[0]).toBe(10);
  });

  it("rejects a shared child", () => {
    const t = stump();
    t.right = [1, -1, -1];
    const e = error(() => builder().addTree(t, "$.trees[0]"));
    expect(e.code).toBe("E_SHAPE");
    expect(e.message).toMatch(/reached twice/);
    expect(e.location.file).toBe("m.json");
  });

  it("rejects a cycle", () => {
    const t: TreeInput = { ...stump(), left: [1, 0, -1], right: [2, 2, -1] };
    expect(error(() => builder().addTree(t, "$.trees[0]")).message).toMatch(/reached twice/);
  });

  it("rejects an orphan node with expected/got counts", () => {
    const t: TreeInput = {
      ...stump(),
      left: [1, -1, -1, -1],
      right: [2, -1, -1, -1],
      feature: [0, 0, 0, 0],
      threshold: [0, 0, 0, 0],
      defaultLeft: [0, 0, 0, 0],
      leafValues: [0, 1, 2, 3],
    };
    const e = error(() => builder().addTree(t, "$.trees[4]"));
    expect(e.message).toBe("node 3 is not reachable from the root (expected 4 reachable nodes, got 3)");
    expect(e.location.path).toBe("$.trees[4].left[3]");
  });

  it("allows the declared number of unreachable (deleted) nodes", () => {
    const t: TreeInput = {
      ...stump(),
      left: [1, -1, -1, -1],
      right: [2, -1, -1, -1],
      feature: [0, 0, 0, 0],
      threshold: [0, 0, 0, 0],
      defaultLeft: [0, 0, 0, 0],
      leafValues: [0, 1, 2, 3],
      allowUnreachable: 1,
    };
    builder().addTree(t, "$");
  });

  it("rejects an out-of-range feature index", () => {
    const t = stump();
    t.feature = [7, 0, 0];
    const e = error(() => builder().addTree(t, "$.trees[0]"));
    expect(e.message).toBe("feature index out of range (expected 0..2, got 7)");
    expect(e.location.path).toBe("$.trees[0].feature[0]");
  });

  it("rejects out-of-range children and mismatched lengths", () => {
    expect(error(() => builder().addTree({ ...stump(), left: [9, -1, -1] }, "$")).message).toMatch(/left child out of range \(expected -1 or 0..2, got 9\)/);
    expect(error(() => builder().addTree({ ...stump(), threshold: [1, 2] }, "$")).message).toBe("expected 3 entries, got 2");
    expect(error(() => builder().addTree({ ...stump(), leafValues: [1, 2] }, "$")).message).toMatch(/expected 3 leaf values/);
  });

  it("rejects wrong leaf sizes and output slots", () => {
    expect(error(() => builder(3, 2).addTree({ ...stump(), leafSize: 3, leafValues: Array(9).fill(0) }, "$")).message).toBe(
      "vector leaves must have one value per output (expected 2, got 3)",
    );
    expect(error(() => builder(3, 2).addTree({ ...stump(), output: 2 }, "$")).message).toBe("output slot out of range (expected 0..1, got 2)");
  });

  it("rejects NaN thresholds and leaves, and non-float32 values in float32 models", () => {
    expect(error(() => builder().addTree({ ...stump(), threshold: [NaN, 0, 0] }, "$")).message).toMatch(/threshold is not a number/);
    expect(error(() => builder().addTree({ ...stump(), leafValues: [0, NaN, 0] }, "$")).message).toMatch(/leaf value is not a number/);
  });

  it("lays out a 100 000-node chain without recursion", () => {
    const n = 100_001;
    const left = new Int32Array(n).fill(-1);
    const right = new Int32Array(n).fill(-1);
    // internal nodes at even positions 0,2,4,…: left child is a leaf, right continues the chain
    for (let i = 0; i + 2 < n; i += 2) {
      left[i] = i + 1;
      right[i] = i + 2;
    }
    const b = builder();
    b.addTree(
      {
        left,
        right,
        feature: new Int32Array(n),
        threshold: Float64Array.from({ length: n }, (_, i) => i),
        defaultLeft: new Uint8Array(n),
        leafValues: Float64Array.from({ length: n }, (_, i) => i),
        leafSize: 1,
        output: 0,
      },
      "$",
    );
    const ir = b.build();
    expect(evaluateRaw(ir, [1e9, 0, 0])[0]).toBe(n - 1);
  });

  it("weighted median: validates the weights and evaluates ties in tree order", () => {
    const w = (...v: number[]) => ({ kind: "weightedMedian" as const, weights: Float64Array.from(v) });
    const few = builder(3, 1, w(1));
    few.addTree(stump(), "$.trees[0]");
    few.addTree(stump(), "$.trees[1]");
    expect(error(() => few.build()).message).toMatch(/expected 2 weights \(one per tree\), got 1/);
    const inf = builder(3, 1, w(1, Infinity));
    inf.addTree(stump(), "$.trees[0]");
    inf.addTree(stump(), "$.trees[1]");
    expect(error(() => inf.build()).message).toMatch(/weights must be finite/);
    // values 10 (x <= 0.5) or 20; weights 1, 2, 1: cumulative weights reach half the total (2) at the second tree
    const b = builder(3, 1, w(1, 2, 1));
    b.addTree(stump(), "$.trees[0]");
    b.addTree({ ...stump(), threshold: [1.5, 0, 0] }, "$.trees[1]");
    b.addTree({ ...stump(), threshold: [-1, 0, 0] }, "$.trees[2]");
    const ir = b.build();
    expect(evaluateRaw(ir, [0, 0, 0])[0]).toBe(10); // 10, 10, 20: cdf 1, 3 >= 2 → 10
    expect(evaluateRaw(ir, [1, 0, 0])[0]).toBe(10); // 20, 10, 20: sorted 10 (w 2), 20, 20: cdf 2 >= 2 → 10
    expect(evaluateRaw(ir, [2, 0, 0])[0]).toBe(20);
  });
});
