// Linear models (XGBoost gblinear; scikit-learn linear models): per output, the bias plus each feature times its
// weight, in feature order. The ifelse style writes the weights into the code as literals (one straight-line
// expression per output, like the trees' thresholds), up to INLINE_MAX_TERMS terms; the table style and wider
// models keep them in typed arrays with a loop. Both evaluate the same operations in the same order.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { LinearModel, ModelIR } from "../../src/ir/types.ts";
import { inAccumulator, linearBias } from "../lower/baseScores.ts";
import { numLit } from "../literals.ts";
import { rowType, typedConst, type Body } from "./body.ts";

/** Weights × outputs up to which the ifelse style inlines the weights (the function stays small enough for V8 to optimize). */
export const INLINE_MAX_TERMS = 512;

export function emitLinear(ir: ModelIR, lin: LinearModel, style: "ifelse" | "table" = "table"): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const G = ir.nOutputs;
  const W = modelWidth(ir);
  const f32 = lin.accumulate === "float32";
  const r = (e: string) => (f32 ? `Math.fround(${e})` : e);
  const bias = linearBias(lin);
  if (style === "ifelse" && W * G <= INLINE_MAX_TERMS) {
    const lines = [`function raw_(x: ${xt}, R: Float64Array): void {`];
    for (let g = 0; g < G; g++) {
      const b = numLit(bias[g]!);
      const w = (i: number) => numLit(inAccumulator(lin.accumulate, lin.weights[i * G + g]!));
      if (!f32 && lin.missing === "propagate") {
        // one expression, evaluated left to right: ((b + x0·w0) + x1·w1) + …, as the loop below
        const terms = Array.from({ length: W }, (_, i) => ` + x[${i}]! * ${w(i)}`).join("");
        lines.push(`  R[${g}] = ${b}${terms};`);
        continue;
      }
      lines.push("  {", `    let s = ${b};`);
      for (let i = 0; i < W; i++) {
        const step = `s = ${r(`s + ${r(`v * ${w(i)}`)}`)};`;
        lines.push(`    { const v = x[${i}]!; ${lin.missing === "skip" ? `if (v === v) ${step}` : step} }`);
      }
      lines.push(`    R[${g}] = s;`, "  }");
    }
    lines.push("}");
    code.push(lines.join("\n"));
    return { code, runtime, rawFn: "raw_" };
  }
  code.push(typedConst("LW", f32 ? "Float32Array" : "Float64Array", lin.weights, runtime));
  code.push(typedConst("LB", "Float64Array", bias, runtime));
  const step = `s = ${r(`s + ${r(`v * LW[i * ${G} + g]!`)}`)};`;
  const add = lin.missing === "skip" ? `if (v === v) ${step}` : step;
  code.push(
    [
      `function raw_(x: ${xt}, R: Float64Array): void {`,
      `  for (let g = 0; g < ${G}; g++) {`,
      "    let s = LB[g]!;",
      `    for (let i = 0; i < ${W}; i++) {`,
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
