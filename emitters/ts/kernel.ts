// TypeScript printer of kernel models (libsvm SVC/SVR/one-class): the same loops as src/ir/kernel.ts over
// typed-array constants, the one-vs-one pairs unrolled from the lowering (emitters/lower/ovoPairs.ts). raw_ keeps
// the pair decisions in D for vote_ (the class by one-vs-one votes).

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { KernelModel, ModelIR } from "../../src/ir/types.ts";
import { kernelDecisionCount, ovoPairs } from "../lower/ovoPairs.ts";
import { numLit } from "../literals.ts";
import { rowType, typedConst, type Body } from "./body.ts";

export function emitKernel(ir: ModelIR, m: KernelModel): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const W = modelWidth(ir);
  const K = m.counts.length;
  const nD = kernelDecisionCount(m);
  code.push(typedConst("KV", "Float64Array", m.vectors, runtime));
  code.push(typedConst("KC", "Float64Array", m.coef, runtime));
  code.push(typedConst("KI", "Float64Array", m.intercept, runtime));
  code.push(`const KK = new Float64Array(${m.nSV});`, `const D = new Float64Array(${nD});`);
  if (m.kernel === "rbf") runtime.add("math/exp.ts");
  if (m.kernel === "poly") runtime.add("kernelPowi.ts");
  const g = numLit(m.gamma);
  const c0 = numLit(m.coef0);
  const kval = {
    linear: "KK[s] = sum;",
    poly: `KK[s] = kernelPowi(${g} * sum + ${c0}, ${m.degree});`,
    sigmoid: `KK[s] = Math.tanh(${g} * sum + ${c0});`,
    rbf: `KK[s] = exp(-${g} * sum);`,
  }[m.kernel];
  const term = m.kernel === "rbf" ? "{ const d = x[i]! - KV[o + i]!; sum += d * d; }" : "sum += x[i]! * KV[o + i]!;";
  const lines = [
    `function raw_(x: ${xt}, R: Float64Array): void {`,
    `  for (let s = 0; s < ${m.nSV}; s++) {`,
    `    const o = s * ${W};`,
    "    let sum = 0;",
    `    for (let i = 0; i < ${W}; i++) ${term}`,
    `    ${kval}`,
    "  }",
  ];
  if (m.form === "single") {
    lines.push("  let sum = 0;", `  for (let s = 0; s < ${m.nSV}; s++) sum += KC[s]! * KK[s]!;`, "  D[0] = sum + KI[0]!;");
  } else {
    // pair loop unrolled per pair: constant ranges
    for (const { p, sides } of ovoPairs(m)) {
      lines.push("  {", "    let sum = 0;");
      for (const sv of sides) lines.push(`    for (let s = ${sv.from}; s < ${sv.to}; s++) sum += KC[${sv.coefRow} + s]! * KK[s]!;`);
      lines.push(`    D[${p}] = sum + KI[${p}]!;`, "  }");
    }
  }
  if (m.rawShape === "single" || m.rawShape === "pairs") lines.push("  R.set(D);");
  else if (m.rawShape === "negate") lines.push("  R[0] = -D[0]!;");
  else {
    lines.push(`  const conf = new Float64Array(${K});`, `  const votes = new Float64Array(${K});`);
    for (const { p, i, j } of ovoPairs(m)) {
      lines.push(
        `  { const d = D[${p}]!, c = -d; conf[${i}] = conf[${i}]! - c; conf[${j}] = conf[${j}]! + c; if (d < 0) votes[${j}]!++; else votes[${i}]!++; }`,
      );
    }
    lines.push(`  for (let c = 0; c < ${K}; c++) R[c] = votes[c]! + conf[c]! / (3 * (Math.abs(conf[c]!) + 1));`);
  }
  lines.push("}");
  code.push(lines.join("\n"));
  let voteFn: string | undefined;
  if (ir.decision.kind === "vote") {
    voteFn = "vote_";
    const v = [`function vote_(): number {`, `  const vote = new Int32Array(${K});`];
    for (const { p, i, j } of ovoPairs(m)) v.push(`  vote[D[${p}]! > 0 ? ${i} : ${j}]!++;`);
    v.push("  let best = 0;", `  for (let c = 1; c < ${K}; c++) if (vote[c]! > vote[best]!) best = c;`, "  return best;", "}");
    code.push(v.join("\n"));
  }
  return { code, runtime, rawFn: "raw_", voteFn, decisions: "D" };
}
