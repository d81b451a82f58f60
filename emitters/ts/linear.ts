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
    /** raw_'s statements, feature i read as read(i) (once per output, in feature order) */
    const statements = (read: (i: number) => string): string[] => {
      const lines: string[] = [];
      for (let g = 0; g < G; g++) {
        const b = numLit(bias[g]!);
        const w = (i: number) => numLit(inAccumulator(lin.accumulate, lin.weights[i * G + g]!));
        if (!f32 && lin.missing === "propagate") {
          // one expression, evaluated left to right: ((b + x0·w0) + x1·w1) + …, as the loop below
          const terms = Array.from({ length: W }, (_, i) => ` + ${read(i)} * ${w(i)}`).join("");
          lines.push(`R[${g}] = ${b}${terms};`);
          continue;
        }
        lines.push("{", `  let s = ${b};`);
        for (let i = 0; i < W; i++) {
          const step = `s = ${r(`s + ${r(`v * ${w(i)}`)}`)};`;
          lines.push(`  { const v = ${read(i)}; ${lin.missing === "skip" ? `if (v === v) ${step}` : step} }`);
        }
        lines.push(`  R[${g}] = s;`, "}");
      }
      return lines;
    };
    code.push([`function raw_(x: ${xt}, R: Float64Array): void {`, ...statements((i) => `x[${i}]!`).map((l) => `  ${l}`), "}"].join("\n"));
    code.push(
      linearBlock(
        xt,
        G,
        W,
        f32,
        lin.missing === "skip",
        (g) => numLit(bias[g]!),
        (i, g) => numLit(inAccumulator(lin.accumulate, lin.weights[i * G + g]!)),
      ),
    );
    return { code, runtime, rawFn: "raw_", blockFn: "rawBlock_", checkedRaw: statements((i) => `num_(x[${i}], ${i})`) };
  }
  code.push(typedConst("LW", f32 ? "Float32Array" : "Float64Array", lin.weights, runtime));
  code.push(typedConst("LB", "Float64Array", bias, runtime));
  const step = `s = ${r(`s + ${r(`v * LW[i * ${G} + g]!`)}`)};`;
  const add = lin.missing === "skip" ? `if (v === v) ${step}` : step;
  /** raw_'s statements, feature i read as `read` (an expression of i; once per output, in feature order) */
  const statements = (read: string): string[] => [
    `for (let g = 0; g < ${G}; g++) {`,
    "  let s = LB[g]!;",
    `  for (let i = 0; i < ${W}; i++) {`,
    `    const v = ${read};`,
    `    ${add}`,
    "  }",
    "  R[g] = s;",
    "}",
  ];
  code.push([`function raw_(x: ${xt}, R: Float64Array): void {`, ...statements("x[i]!").map((l) => `  ${l}`), "}"].join("\n"));
  code.push(linearBlock(xt, G, W, f32, lin.missing === "skip", "LB[g]!", `LW[i * ${G} + g]!`));
  return { code, runtime, rawFn: "raw_", blockFn: "rawBlock_", checkedRaw: statements("num_(x[i], i)") };
}

/** Rows a batch block's kernel scores at once (each output's weights read once for them; separate sums). */
const ROWS = 4;

/**
 * Tree-major's counterpart for linear models, rawBlock_(x, nb, A): ROWS rows at a time, each weight read once for
 * all of them, each row's sum in its own variable (independent chains), then the remaining rows one by one. Per row
 * the same operations in the same (feature) order as raw_. `bias` and `weight` are expressions: with literals
 * (functions of the output g and feature i) the kernel is written out; as strings over the loop variables g and i
 * (tables) it loops.
 */
function linearBlock(
  xt: string,
  G: number,
  W: number,
  f32: boolean,
  skip: boolean,
  bias: string | ((g: number) => string),
  weight: string | ((i: number, g: number) => string),
): string {
  const r = (e: string) => (f32 ? `Math.fround(${e})` : e);
  const step = (s: string, xv: string, w: string) => {
    const add = `${s} = ${r(`${s} + ${r(`v * ${w}`)}`)};`;
    return `{ const v = ${xv}; ${skip ? `if (v === v) ${add}` : add} }`;
  };
  /** the sums of k rows (from offset o, row r) for every output */
  const rows = (k: number, pad: string): string[] => {
    const out: string[] = [];
    const xv = (j: number, i: string | number) => `x[o + ${j === 0 ? "" : `${j * W} + `}${i}]!`;
    const one = (g: number | "g", b: string, w: (i: number | "i") => string, pad2: string) => {
      out.push(`${pad2}{`, `${pad2}  const b = ${b};`);
      for (let j = 0; j < k; j++) out.push(`${pad2}  let s${j} = b;`);
      if (typeof weight === "string") {
        out.push(`${pad2}  for (let i = 0; i < ${W}; i++) {`, `${pad2}    const w = ${w("i")};`);
        for (let j = 0; j < k; j++) out.push(`${pad2}    ${step(`s${j}`, xv(j, "i"), "w")}`);
        out.push(`${pad2}  }`);
      } else {
        for (let i = 0; i < W; i++) for (let j = 0; j < k; j++) out.push(`${pad2}  ${step(`s${j}`, xv(j, i), w(i))}`);
      }
      for (let j = 0; j < k; j++) out.push(`${pad2}  A[(r + ${j}) * ${G} + ${g}] = s${j};`);
      out.push(`${pad2}}`);
    };
    if (typeof bias === "string" && typeof weight === "string") {
      out.push(`${pad}for (let g = 0; g < ${G}; g++)`);
      one("g", bias, () => weight, pad + "  ");
    } else if (typeof bias !== "string" && typeof weight !== "string") {
      for (let g = 0; g < G; g++) one(g, bias(g), (i) => weight(i as number, g), pad);
    } else throw new Error("internal: linearBlock takes literals or tables for both");
    return out;
  };
  return [
    `function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`,
    "  let r = 0;",
    `  for (; r + ${ROWS} <= nb; r += ${ROWS}) {`,
    `    const o = r * ${W};`,
    ...rows(ROWS, "    "),
    "  }",
    "  for (; r < nb; r++) {",
    `    const o = r * ${W};`,
    ...rows(1, "    "),
    "  }",
    "}",
  ].join("\n");
}
