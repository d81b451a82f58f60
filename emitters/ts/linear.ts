// Linear models (XGBoost gblinear; later scikit-learn linear models): one loop over features per output.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { LinearModel, ModelIR } from "../../src/ir/types.ts";
import { rowType, typedConst, type Body } from "./body.ts";

export function emitLinear(ir: ModelIR, lin: LinearModel): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const G = ir.nOutputs;
  const f32 = lin.accumulate === "float32";
  code.push(typedConst("LW", f32 ? "Float32Array" : "Float64Array", lin.weights, runtime));
  code.push(typedConst("LB", "Float64Array", lin.bias.map((b) => (f32 ? Math.fround(b) : b)), runtime));
  const r = (e: string) => (f32 ? `Math.fround(${e})` : e);
  const step = `s = ${r(`s + ${r(`v * LW[i * ${G} + g]!`)}`)};`;
  const add = lin.missing === "skip" ? `if (v === v) ${step}` : step;
  code.push(
    [
      `function raw_(x: ${xt}, R: Float64Array): void {`,
      `  for (let g = 0; g < ${G}; g++) {`,
      "    let s = LB[g]!;",
      `    for (let i = 0; i < ${modelWidth(ir)}; i++) {`,
      "      const v = x[i]!;",
      `      ${add}`,
      "    }",
      "    R[g] = s;",
      "  }",
      "}",
    ].join("\n"),
  );
  return { code, runtime, rawFn: "raw_" };
}
