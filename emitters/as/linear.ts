// Linear models in AssemblyScript: one loop over features per output, the weights in a double table. Each step is
// the evaluator's (src/ir/evaluate.ts rawLinear): in float32, the product and the sum are each rounded to float32.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { LinearModel } from "../../src/ir/types.ts";
import { linearBias } from "../lower/baseScores.ts";
import type { AsBody, AsContext } from "./body.ts";

export function emitLinearAs(ctx: AsContext, lin: LinearModel): AsBody {
  const { ir } = ctx;
  const G = ir.nOutputs;
  const f32 = lin.accumulate === "float32";
  const code: string[] = [];
  code.push(ctx.data.f64("LW", lin.weights));
  code.push(ctx.data.f64("LB", linearBias(lin)));
  const r = (e: string) => (f32 ? `<f64><f32>(${e})` : e);
  const xs = ctx.xt === "f32" ? 2 : 3;
  const step = `s = ${r(`s + ${r(`v * load<f64>(LW + (<usize>(i * ${G} + g) << 3))`)}`)};`;
  code.push(
    [
      "function rawBlock_(x0: usize, n: i32, stride: usize): void {",
      "  for (let r = 0; r < n; r++) {",
      "    const x = x0 + <usize>r * stride;",
      `    const R = ACC + <usize>r * ${8 * G};`,
      `    for (let g = 0; g < ${G}; g++) {`,
      "      let s = load<f64>(LB + (<usize>g << 3));",
      `      for (let i = 0; i < ${modelWidth(ir)}; i++) {`,
      `        const v = <f64>load<${ctx.xt}>(x + (<usize>i << ${xs}));`,
      `        ${lin.missing === "skip" ? `if (v == v) ${step}` : step}`,
      "      }",
      "      store<f64>(R + (<usize>g << 3), s);",
      "    }",
      "  }",
      "}",
    ].join("\n"),
  );
  return { code, runtime: new Set() };
}
