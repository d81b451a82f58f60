// The table style stores each distinct vector leaf once (deep forests repeat a few, e.g. pure class
// fractions), keeping bit patterns apart (-0 vs 0, NaN payloads are not leaf values), and the module
// still agrees with the evaluator bit for bit.

import { describe, expect, it } from "vitest";
import { emitTypeScript } from "../emitters/registry.ts";
import { compileToModule } from "../src/compiledModule.ts";
import type { TreeInput } from "../src/ir/builder.ts";
import { evaluateRaw } from "../src/ir/evaluate.ts";
import { testEnsemble } from "./support/testEnsemble.ts";

function forest(leaves: number[][][]) {
  const b = testEnsemble({ name: "t", nFeatures: 2, numbers: "float64", base: [-0, -0], header: { task: "multitarget" } });
  leaves.forEach(([a, c], t) => {
    const tree: TreeInput = {
      left: [1, -1, -1],
      right: [2, -1, -1],
      feature: [t % 2, 0, 0],
      threshold: [0.5 * t, 0, 0],
      defaultLeft: [1, 0, 0],
      leafValues: [0, 0, ...a!, ...c!],
      leafSize: 2,
      output: 0,
    };
    b.addTree(tree, `$.trees[${t}]`);
  });
  return b.build();
}

/** The LV table of the emitted module, decoded. */
function lvTable(ts: string): Float64Array {
  const m = /const LV = [^;]*?(decodeF64\("([^"]*)"\)|new Float64Array\(\[([^\]]*)\]\))/.exec(ts);
  if (!m) throw new Error("no LV table");
  if (m[2] !== undefined) {
    const bytes = Buffer.from(m[2], "base64");
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  }
  return Float64Array.from(m[3]!.split(",").map((s) => Number(s.trim())));
}

describe("table style vector leaves", () => {
  it("stores each distinct vector once, -0 apart from 0, and agrees with the evaluator", async () => {
    const leaves = [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0, 1],
        [1, 0],
      ],
      [
        [1, 0],
        [-0, 1],
      ],
      [
        [0.25, 0.75],
        [1, 0],
      ],
      [
        [-0, 1],
        [0, 1],
      ],
    ];
    const ir = forest(leaves);
    const lv = lvTable(emitTypeScript(ir, "table"));
    // distinct vectors: [1,0], [0,1], [-0,1], [0.25,0.75]
    expect(lv.length).toBe(8);
    const vectors = Array.from({ length: 4 }, (_, i) => [lv[2 * i]!, lv[2 * i + 1]!]);
    expect(vectors).toContainEqual([-0, 1]);
    expect(vectors.filter(([a, b]) => Object.is(a, 0) && b === 1)).toHaveLength(1);
    const mod = await compileToModule(ir, "table");
    for (const row of [
      [0, 0],
      [1, 1],
      [0, 3],
      [3, 0],
      [-1, 2],
      [NaN, NaN],
    ]) {
      const want = Array.from(evaluateRaw(ir, row));
      const got = Array.from(mod.predictRaw(row) as number[]);
      expect(got.map((v, k) => Object.is(v, want[k]))).toEqual([true, true]);
    }
  });

  it("handles many distinct vectors (the pool grows and rehashes)", async () => {
    const leaves = Array.from({ length: 700 }, (_, t) => [
      [t, 1 / (t + 1)],
      [t % 5, 0.3],
    ]);
    const ir = forest(leaves);
    const lv = lvTable(emitTypeScript(ir, "table"));
    expect(lv.length).toBe(2 * (700 + 5));
    const mod = await compileToModule(ir, "table");
    for (const row of [
      [0, 0],
      [400, 100],
      [100, 400],
      [1e9, -1e9],
    ]) {
      const want = Array.from(evaluateRaw(ir, row));
      expect(Array.from(mod.predictRaw(row) as number[])).toEqual(want);
    }
  });
});
