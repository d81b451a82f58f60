// TypeScript printer of kernel models (libsvm SVC/SVR/one-class): the same loops as src/ir/kernel.ts over
// typed-array constants, the one-vs-one pairs unrolled from the lowering (emitters/lower/ovoPairs.ts). raw_ keeps
// the pair decisions in D for vote_ (the class by one-vs-one votes).

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { KernelModel, ModelIR } from "../../src/ir/types.ts";
import { kernelDecisionCount, ovoPairs } from "../lower/ovoPairs.ts";
import { numLit } from "../literals.ts";
import { rowType, typedConst, type Body } from "./body.ts";

/** Rows whose kernel values a batch computes at once (each support vector read once for them). */
const ROWS = 4;

export function emitKernel(ir: ModelIR, m: KernelModel): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const W = modelWidth(ir);
  const K = m.counts.length;
  const NO = ir.nOutputs;
  const nD = kernelDecisionCount(m);
  code.push(typedConst("KV", "Float64Array", m.vectors, runtime));
  code.push(typedConst("KC", "Float64Array", m.coef, runtime));
  code.push(typedConst("KI", "Float64Array", m.intercept, runtime));
  code.push(`const KK = new Float64Array(${m.nSV});`, `const D = new Float64Array(${nD});`);
  if (m.kernel === "rbf") runtime.add("math/exp.ts");
  if (m.kernel === "poly") runtime.add("kernelPowi.ts");
  const g = numLit(m.gamma);
  const c0 = numLit(m.coef0);
  // Kernel values of a row into K from k (the row at offset o of x), its pair decisions from them into D at d, and
  // its raw scores from those into R at a: raw_ does them for one row; rawBlock_ computes the kernel values of ROWS
  // rows at a time (each support vector read once for them, each row's sum its own chain; per row the same
  // operations in the same order), and keeps each row's decisions in DB for the module's rowOf_ (vote, probabilities).
  const term = (sum: string, xo: string) =>
    m.kernel === "rbf" ? `{ const d = x[${xo}i]! - KV[o + i]!; ${sum} += d * d; }` : `${sum} += x[${xo}i]! * KV[o + i]!;`;
  const kv = (sum: string) =>
    ({
      linear: sum,
      poly: `kernelPowi(${g} * ${sum} + ${c0}, ${m.degree})`,
      sigmoid: `Math.tanh(${g} * ${sum} + ${c0})`,
      rbf: `exp(-${g} * ${sum})`,
    })[m.kernel];
  /** kernel values of k rows of x (from offset xo, rows W apart) into K from k0 (rows nSV apart) */
  const kernels = (k: number, pad: string): string[] => {
    const L = [`${pad}for (let s = 0; s < ${m.nSV}; s++) {`, `${pad}  const o = s * ${W};`];
    for (let j = 0; j < k; j++) L.push(`${pad}  let sum${j} = 0;`);
    L.push(`${pad}  for (let i = 0; i < ${W}; i++) {`);
    for (let j = 0; j < k; j++) L.push(`${pad}    ${term(`sum${j}`, `xo + ${j * W} + `)}`);
    L.push(`${pad}  }`);
    for (let j = 0; j < k; j++) L.push(`${pad}  K[${j * m.nSV} + s] = ${kv(`sum${j}`)};`);
    L.push(`${pad}}`);
    return L;
  };
  code.push(
    [`function kernels1_(x: ${xt}, xo: number, K: Float64Array): void {`, ...kernels(1, "  "), "}"].join("\n"),
    [`function kernels${ROWS}_(x: ${xt}, xo: number, K: Float64Array): void {`, ...kernels(ROWS, "  "), "}"].join("\n"),
  );
  const dec = [`function decisions_(K: Float64Array, k: number, D: Float64Array, d: number): void {`];
  if (m.form === "single") {
    dec.push("  let sum = 0;", `  for (let s = 0; s < ${m.nSV}; s++) sum += KC[s]! * K[k + s]!;`, "  D[d] = sum + KI[0]!;");
  } else {
    // pair loop unrolled per pair: constant ranges
    for (const { p, sides } of ovoPairs(m)) {
      dec.push("  {", "    let sum = 0;");
      for (const sv of sides) dec.push(`    for (let s = ${sv.from}; s < ${sv.to}; s++) sum += KC[${sv.coefRow} + s]! * K[k + s]!;`);
      dec.push(`    D[d + ${p}] = sum + KI[${p}]!;`, "  }");
    }
  }
  dec.push("}");
  code.push(dec.join("\n"));
  const lines = [`function scores_(D: Float64Array, d: number, R: Float64Array, a: number): void {`];
  if (m.rawShape === "single" || m.rawShape === "pairs") lines.push(`  for (let k = 0; k < ${nD}; k++) R[a + k] = D[d + k]!;`);
  else if (m.rawShape === "negate") lines.push("  R[a] = -D[d]!;");
  else {
    lines.push(`  const conf = new Float64Array(${K});`, `  const votes = new Float64Array(${K});`);
    for (const { p, i, j } of ovoPairs(m)) {
      lines.push(
        `  { const e = D[d + ${p}]!, c = -e; conf[${i}] = conf[${i}]! - c; conf[${j}] = conf[${j}]! + c; if (e < 0) votes[${j}]!++; else votes[${i}]!++; }`,
      );
    }
    lines.push(`  for (let c = 0; c < ${K}; c++) R[a + c] = votes[c]! + conf[c]! / (3 * (Math.abs(conf[c]!) + 1));`);
  }
  lines.push("}");
  code.push(lines.join("\n"));
  code.push(
    [`function raw_(x: ${xt}, R: Float64Array): void {`, "  kernels1_(x, 0, KK);", "  decisions_(KK, 0, D, 0);", "  scores_(D, 0, R, 0);", "}"].join("\n"),
    `const KB = new Float64Array(${ROWS * m.nSV});`,
    "let DB = new Float64Array(0);",
    [
      `function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`,
      `  if (DB.length < nb * ${nD}) DB = new Float64Array(nb * ${nD});`,
      "  let r = 0;",
      `  for (; r + ${ROWS} <= nb; r += ${ROWS}) {`,
      `    kernels${ROWS}_(x, r * ${W}, KB);`,
      `    for (let j = 0; j < ${ROWS}; j++) {`,
      `      decisions_(KB, j * ${m.nSV}, DB, (r + j) * ${nD});`,
      `      scores_(DB, (r + j) * ${nD}, A, (r + j) * ${NO});`,
      "    }",
      "  }",
      "  for (; r < nb; r++) {",
      `    kernels1_(x, r * ${W}, KB);`,
      `    decisions_(KB, 0, DB, r * ${nD});`,
      `    scores_(DB, r * ${nD}, A, r * ${NO});`,
      "  }",
      "}",
    ].join("\n"),
  );
  let voteFn: string | undefined;
  if (ir.decision.kind === "vote") {
    voteFn = "vote_";
    const v = [`function vote_(): number {`, `  const vote = new Int32Array(${K});`];
    for (const { p, i, j } of ovoPairs(m)) v.push(`  vote[D[${p}]! > 0 ? ${i} : ${j}]!++;`);
    v.push("  let best = 0;", `  for (let c = 1; c < ${K}; c++) if (vote[c]! > vote[best]!) best = c;`, "  return best;", "}");
    code.push(v.join("\n"));
  }
  return { code, runtime, rawFn: "raw_", blockFn: "rawBlock_", blockRow: `D.set(DB.subarray(r * ${nD}, r * ${nD} + ${nD}));`, voteFn, decisions: "D" };
}
