// The IR's input preprocessing (src/ir/preprocess.ts) as generated code: the row goes into the scratch
// vector S, `pre_()` runs the steps as loops over typed-array constants and fills the model's input X.

import type { ModelIR } from "../../src/ir/types.ts";
import { numLit } from "../literals.ts";
import { typedConst } from "./body.ts";

/** Declarations and `function pre_(): void` (S → X), or undefined without preprocessing. */
export function preprocessCode(ir: ModelIR, runtime: Set<string>): string[] | undefined {
  const pre = ir.preprocess;
  if (!pre) return undefined;
  const code: string[] = [`const S = new Float64Array(${pre.slots});`];
  const body: string[] = ["function pre_(): void {"];
  pre.steps.forEach((st, i) => {
    const p = `P${i}`;
    if (st.kind === "map") {
      code.push(typedConst(`${p}S`, "Int32Array", st.src, runtime), typedConst(`${p}D`, "Int32Array", st.dst, runtime));
      code.push(typedConst(`${p}A`, "Float64Array", st.a, runtime));
      if (st.op === "clip") code.push(typedConst(`${p}B`, "Float64Array", st.b!, runtime));
      const a = `${p}A[k]!`;
      const expr = {
        sub: `v - ${a}`,
        add: `v + ${a}`,
        mul: `v * ${a}`,
        div: `v / ${a}`,
        fill: `v !== v ? ${a} : v`,
        clip: `v !== v ? v : Math.min(Math.max(v, ${a}), ${p}B[k]!)`,
      }[st.op];
      body.push(`  for (let k = 0; k < ${st.src.length}; k++) { const v = S[${p}S[k]!]!; S[${p}D[k]!] = ${expr}; }`);
    } else if (st.kind === "product") {
      code.push(typedConst(`${p}A`, "Int32Array", st.a, runtime), typedConst(`${p}B`, "Int32Array", st.b, runtime));
      code.push(typedConst(`${p}D`, "Int32Array", st.dst, runtime));
      body.push(
        `  for (let k = 0; k < ${st.dst.length}; k++) { const a = ${p}A[k]!, b = ${p}B[k]!; S[${p}D[k]!] = b < 0 ? 1 : a < 0 ? S[b]! : S[a]! * S[b]!; }`,
      );
    } else {
      code.push(typedConst(`${p}S`, "Int32Array", st.src, runtime), typedConst(`${p}D`, "Int32Array", st.dst, runtime));
      const acc = { l1: "n += Math.abs(v);", l2: "n += v * v;", max: "n = Math.max(n, Math.abs(v));" }[st.norm];
      body.push(
        "  {",
        "    let n = 0;",
        `    for (let k = 0; k < ${st.src.length}; k++) { const v = S[${p}S[k]!]!; ${acc} }`,
        st.norm === "l2" ? "    n = Math.sqrt(n);" : "",
        `    if (n === 0 || n < ${numLit(st.floor)}) n = 1;`,
        `    for (let k = 0; k < ${st.src.length}; k++) S[${p}D[k]!] = S[${p}S[k]!]! / n;`,
        "  }",
      );
    }
  });
  code.push(typedConst("PO", "Int32Array", pre.output, runtime));
  const z = ir.inputZeroSnap;
  body.push(
    `  for (let i = 0; i < ${pre.output.length}; i++) {`,
    "    X[i] = S[PO[i]!]!;",
    z !== undefined ? `    const c = X[i]!; if (c <= ${numLit(z)} && c >= -${numLit(z)}) X[i] = 0;` : "",
    "  }",
    "}",
  );
  return [...code, body.filter((l) => l !== "").join("\n")];
}
