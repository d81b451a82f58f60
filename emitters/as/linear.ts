// Linear models in AssemblyScript: one loop over features per output, the weights in a double table. Each step is
// the evaluator's (src/ir/evaluate.ts rawLinear): in float32, the product and the sum are each rounded to float32.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { LinearModel } from "../../src/ir/types.ts";
import { linearBias } from "../lower/baseScores.ts";
import type { AsBody, AsContext } from "./body.ts";

/** Rows a batch scores at once (each weight loaded once for them). */
const ROWS = 4;

export function emitLinearAs(ctx: AsContext, lin: LinearModel): AsBody {
  const { ir } = ctx;
  const G = ir.nOutputs;
  const f32 = lin.accumulate === "float32";
  const code: string[] = [];
  code.push(ctx.data.f64("LW", lin.weights));
  code.push(ctx.data.f64("LB", linearBias(lin)));
  const r = (e: string) => (f32 ? `<f64><f32>(${e})` : e);
  const xs = ctx.xt === "f32" ? 2 : 3;
  const W = modelWidth(ir);
  const step = (sv: string, row: string) => {
    const add = `${sv} = ${r(`${sv} + ${r("v * w")}`)};`;
    return `{ const v = <f64>load<${ctx.xt}>(${row} + (<usize>i << ${xs})); ${lin.missing === "skip" ? `if (v == v) ${add}` : add} }`;
  };
  /** the sums of k rows (x, x + stride, ..; accumulators from R, rows 8·G bytes apart), each weight loaded once */
  const rows = (k: number): string[] => {
    const L = [`    for (let g = 0; g < ${G}; g++) {`, "      const b = load<f64>(LB + (<usize>g << 3));"];
    for (let j = 0; j < k; j++) L.push(`      let s${j} = b;`);
    L.push(`      for (let i = 0; i < ${W}; i++) {`, `        const w = load<f64>(LW + (<usize>(i * ${G} + g) << 3));`);
    for (let j = 0; j < k; j++) L.push(`        ${step(`s${j}`, j === 0 ? "x" : `x + ${j} * stride`)}`);
    L.push("      }");
    for (let j = 0; j < k; j++) L.push(`      store<f64>(R + (<usize>g << 3), s${j}, ${8 * G * j});`);
    L.push("    }");
    return L;
  };
  // ROWS rows at a time (each weight loaded once for them, each row's sum its own chain), then the rest one by one;
  // per row the same operations in the same (feature) order
  code.push(
    [
      "function rawBlock_(x0: usize, n: i32, stride: usize): void {",
      "  let r = 0;",
      `  for (; r + ${ROWS} <= n; r += ${ROWS}) {`,
      "    const x = x0 + <usize>r * stride;",
      `    const R = ACC + <usize>r * ${8 * G};`,
      ...rows(ROWS),
      "  }",
      "  for (; r < n; r++) {",
      "    const x = x0 + <usize>r * stride;",
      `    const R = ACC + <usize>r * ${8 * G};`,
      ...rows(1),
      "  }",
      "}",
    ].join("\n"),
  );
  return { code, runtime: new Set() };
}
