// The JS table style's lockstep batches (8 rows per tree, at most the tree's depth in steps, an early stop once all
// rows are at leaves after 8 steps) on deep, unbalanced trees: rows that stop at every depth, in every mix within a
// group of 8, give what the one-row walk and the IR evaluator give.

import { describe, it } from "vitest";
import { compileToModule } from "../src/compiledModule.ts";
import { EnsembleBuilder } from "../src/ir/builder.ts";
import type { ModelIR, NumberType } from "../src/ir/types.ts";
import { checkBatchSizes } from "./support/batchSizes.ts";

const D = 20;

/**
 * Two chains of D splits on feature 0: in the first each split's left child is a leaf (x < k + 0.5 stops at depth
 * k + 1), in the second each split's right child is (x > D - k - 0.5 stops there). NaN goes left at even depths.
 */
function chains(compare: "<" | "<=", p: NumberType): ModelIR {
  const b = new EnsembleBuilder(
    {
      irVersion: 1,
      name: "chains",
      task: "regression",
      nFeatures: 2,
      source: { library: "test", version: "0", format: "random" },
      inputCast: p,
      nOutputs: 1,
      transform: "identity",
      decision: { kind: "value" },
      proba: { kind: "none" },
    },
    {
      thresholdType: p,
      leafType: p,
      compare,
      zeroThreshold: 0,
      categorical: { memberGoes: "left", invalidGoes: "nonmember", categoryLimit: 1 << 24, truncateFirst: false },
      accumulate: p,
      base: [0.25],
    },
  );
  for (const side of ["left", "right"] as const) {
    // node 2k: split k; its leaf child 2k + 1; the chain goes on at 2k + 2; node 2D is the last leaf
    const n = 2 * D + 1;
    const left = Array.from({ length: n }, () => -1);
    const right = Array.from({ length: n }, () => -1);
    const threshold = Array.from({ length: n }, () => 0);
    for (let k = 0; k < D; k++) {
      const [leaf, next] = [2 * k + 1, 2 * k + 2];
      left[2 * k] = side === "left" ? leaf : next;
      right[2 * k] = side === "left" ? next : leaf;
      threshold[2 * k] = side === "left" ? k + 0.5 : D - k - 0.5;
    }
    b.addTree(
      {
        left,
        right,
        feature: Array.from({ length: n }, (_, i) => (i === 2 * D - 2 ? 1 : 0)),
        threshold,
        defaultLeft: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0)),
        leafValues: Array.from({ length: n }, (_, i) => (i * 1.25 + 0.125) * (side === "left" ? 1 : -3)),
        leafSize: 1,
        output: 0,
      },
      `$.trees[${side}]`,
    );
  }
  return b.build();
}

describe("table: lockstep batches on deep, unbalanced trees", () => {
  for (const compare of ["<", "<="] as const)
    for (const p of ["float32", "float64"] as const)
      it(`${compare} ${p}`, async () => {
        const ir = chains(compare, p);
        const mod = await compileToModule(ir, "table");
        // every depth, exactly at the thresholds, NaN, ±Infinity, -0
        const xs = [...Array.from({ length: D + 2 }, (_, k) => k), ...Array.from({ length: D }, (_, k) => k + 0.5), NaN, Infinity, -Infinity, -0];
        let seed = 5;
        const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
        for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 40, 257]) {
          // mostly rows that stop early, a few that go deep: a group of 8 rarely ends all at once
          const batch = Array.from({ length: n }, () => {
            const x0 = rnd() < 0.7 ? Math.floor(rnd() * 4) : xs[Math.floor(rnd() * xs.length)]!;
            return [x0, xs[Math.floor(rnd() * xs.length)]!];
          });
          checkBatchSizes(ir, mod, batch, `chains ${compare} ${p} n=${n}`);
        }
      });
});
