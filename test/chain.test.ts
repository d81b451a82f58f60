// No recursion over tree depth anywhere: a 100 000-node chain tree compiles and predicts in every style.

import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import { compileToModule } from "../src/compiledModule.ts";
import { evaluateRaw } from "../src/ir/evaluate.ts";
import type { ModelIR } from "../src/ir/types.ts";
import { testEnsemble } from "./support/testEnsemble.ts";

function chain(n: number, goesLeft: boolean): ModelIR {
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  for (let i = 0; i + 2 < n; i += 2) {
    // the chain continues on one side, a leaf hangs on the other
    if (goesLeft) {
      left[i] = i + 2;
      right[i] = i + 1;
    } else {
      left[i] = i + 1;
      right[i] = i + 2;
    }
  }
  const b = testEnsemble({ name: "chain", nFeatures: 1, numbers: "float32", base: [0] });
  // thresholds i: a value x walks down the chain until it falls off at the first threshold past it
  const thr = Float64Array.from({ length: n }, (_, i) => (goesLeft ? n - i : i));
  b.addTree(
    {
      left,
      right,
      feature: new Int32Array(n),
      threshold: thr,
      defaultLeft: new Uint8Array(n),
      leafValues: Float64Array.from({ length: n }, (_, i) => i),
      leafSize: 1,
      output: 0,
    },
    "$",
  );
  return b.build();
}

describe("100 000-node chain trees", () => {
  for (const goesLeft of [false, true]) {
    const ir = chain(100_001, goesLeft);
    for (const style of STYLES) {
      it(`${goesLeft ? "left" : "right"} chain, ${style}`, async () => {
        const mod = await compileToModule(ir, style);
        for (const x of [-1, 0, 1, 777.5, 50_000, 99_999, 1e9, NaN]) {
          expect(mod.predict([x])).toBe(evaluateRaw(ir, [x])[0]);
        }
      });
    }
  }
});

describe("10 000 trees of one leaf", () => {
  const b = testEnsemble({ name: "stumps", nFeatures: 1, numbers: "float32", base: [0.5] });
  for (let t = 0; t < 10_000; t++)
    b.addTree(
      { left: [-1], right: [-1], feature: [0], threshold: [0], defaultLeft: [0], leafValues: [Math.fround(t / 1024)], leafSize: 1, output: 0 },
      `$[${t}]`,
    );
  const ir = b.build();
  for (const style of STYLES) {
    it(style, async () => {
      const mod = await compileToModule(ir, style);
      expect(mod.predict([1])).toBe(evaluateRaw(ir, [1])[0]);
    });
  }
});
