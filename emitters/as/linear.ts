// Linear models in AssemblyScript: one loop over features per output, the weights in a double table. Each step is
// the evaluator's (src/ir/evaluate.ts rawLinear): in float32, the product and the sum are each rounded to float32.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { LinearModel } from "../../src/ir/types.ts";
import { linearBias } from "../lower/baseScores.ts";
import type { AsBody, AsContext } from "./body.ts";

/** Rows a batch scores at once (each weight loaded once for them): two v128 of two rows each. */
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
  // ROWS rows at a time (each weight loaded once for them, each row's sum its own chain; in f64x2 lanes, a pair of
  // rows per v128), then the rest one by one; per row the same operations in the same (feature) order
  code.push(
    [
      "function rawBlock_(x0: usize, n: i32, stride: usize): void {",
      "  let r = 0;",
      `  for (; r + ${ROWS} <= n; r += ${ROWS}) {`,
      "    const x = x0 + <usize>r * stride;",
      `    const R = ACC + <usize>r * ${8 * G};`,
      ...simdRows(lin, G, W, ctx.xt),
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

/**
 * The sums of ROWS rows (x, x + stride, ..) into R (rows 8·G bytes apart), rows 2k and 2k + 1 in the lanes of one
 * f64x2 accumulator a<k>: per lane exactly the scalar step (bias first, then feature by feature the product and the
 * sum, each rounded to float32 under float32 accumulation; a NaN skipped by a lane select), so bit for bit the scalar
 * sums. Float64 rows are transposed two features at a time (two v128 loads and two shuffles per pair of rows; 1.1x
 * the lane loads on the 30-feature logistic regression), float32 rows loaded lane by lane and widened.
 */
function simdRows(lin: LinearModel, G: number, W: number, xt: "f32" | "f64"): string[] {
  const f32 = lin.accumulate === "float32";
  const K = ROWS / 2;
  const r = (e: string) => (f32 ? `f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(${e}))` : e);
  const step = (a: string, v: string, w: string) => {
    const add = r(`f64x2.add(${a}, ${r(`f64x2.mul(${v}, ${w})`)})`);
    return lin.missing === "skip" ? `${a} = v128.bitselect(${add}, ${a}, f64x2.eq(${v}, ${v}));` : `${a} = ${add};`;
  };
  const row = (k: number) => (k === 0 ? "p" : `p + ${k} * stride`);
  const w = (i: string) => `v128.load64_splat(LW + (<usize>(${i} * ${G} + g) << 3))`;
  const L = [`    for (let g = 0; g < ${G}; g++) {`, "      const b = f64x2.splat(load<f64>(LB + (<usize>g << 3)));"];
  for (let k = 0; k < K; k++) L.push(`      let a${k} = b;`);
  L.push("      let i = 0;");
  if (xt === "f64") {
    L.push(
      `      for (; i + 2 <= ${W}; i += 2) {`,
      `        const w0 = ${w("i")};`,
      `        const w1 = ${w("(i + 1)")};`,
      "        const p = x + (<usize>i << 3);",
    );
    for (let k = 0; k < K; k++) {
      L.push(
        `        { const u = v128.load(${row(2 * k)}); const t = v128.load(${row(2 * k + 1)});`,
        `          const v0 = v128.shuffle<f64>(u, t, 0, 2); ${step(`a${k}`, "v0", "w0")}`,
        `          const v1 = v128.shuffle<f64>(u, t, 1, 3); ${step(`a${k}`, "v1", "w1")} }`,
      );
    }
    L.push("      }");
  }
  const xs = xt === "f32" ? 2 : 3;
  const pair = (k: number) =>
    xt === "f64"
      ? `v128.load64_lane(${row(2 * k + 1)}, v128.load64_zero(${row(2 * k)}), 1)`
      : `f64x2.promote_low_f32x4(v128.load32_lane(${row(2 * k + 1)}, v128.load32_zero(${row(2 * k)}), 1))`;
  L.push(`      for (; i < ${W}; i++) {`, `        const w = ${w("i")};`, `        const p = x + (<usize>i << ${xs});`);
  for (let k = 0; k < K; k++) L.push(`        { const v = ${pair(k)}; ${step(`a${k}`, "v", "w")} }`);
  L.push("      }");
  for (let k = 0; k < K; k++) {
    L.push(
      `      v128.store64_lane(R + (<usize>g << 3), a${k}, 0, ${8 * G * 2 * k});`,
      `      v128.store64_lane(R + (<usize>g << 3), a${k}, 1, ${8 * G * (2 * k + 1)});`,
    );
  }
  L.push("    }");
  return L;
}
