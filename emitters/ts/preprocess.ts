// The IR's input preprocessing (src/ir/preprocess.ts) as generated code: the row goes into the scratch
// vector S, `pre_()` runs the steps as loops over typed-array constants and fills the model's input X.

import type { ModelIR } from "../../src/ir/types.ts";
import type { FuncName } from "../../src/ir/types.ts";
import { dataLit, numLit, strLit } from "../literals.ts";

/** The function a "func" step calls (src/ir/preprocess.ts FUNCS) and the runtime file that defines it. */
const FUNC_CODE: Record<FuncName, { name: string; runtime?: string }> = {
  log1p: { name: "log1p", runtime: "math/log1p.ts" },
  expm1: { name: "Math.expm1" },
  log: { name: "log", runtime: "math/log.ts" },
  exp: { name: "exp", runtime: "math/exp.ts" },
  sqrt: { name: "Math.sqrt" },
};
import { typedConst } from "./body.ts";

/** Declarations and `function pre_(): void` (S → X), or undefined without preprocessing. */
export function preprocessCode(ir: ModelIR, runtime: Set<string>): string[] | undefined {
  const pre = ir.preprocess;
  if (!pre) return undefined;
  const code: string[] = [`const S = new Float64Array(${pre.slots});`];
  let fails = false;
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
    } else if (st.kind === "lookup") {
      runtime.add("skLookup.ts");
      code.push(
        typedConst(`${p}S`, "Int32Array", st.src, runtime),
        typedConst(`${p}DS`, "Int32Array", st.dstStart, runtime),
        typedConst(`${p}D`, "Int32Array", st.dst, runtime),
        typedConst(`${p}KS`, "Int32Array", st.keyStart, runtime),
        typedConst(`${p}K`, "Float64Array", st.keys, runtime),
        typedConst(`${p}TS`, "Int32Array", st.tableStart, runtime),
        typedConst(`${p}T`, "Float64Array", st.table, runtime),
        typedConst(`${p}F`, "Int32Array", st.fail, runtime),
        `const ${p}L: readonly string[] = ${dataLit(st.label)};`,
      );
      body.push(
        `  { const f = skLookup(S, ${p}S, ${p}DS, ${p}D, ${p}KS, ${p}K, ${p}TS, ${p}T, ${p}F); if (f >= 0) preFail_((f & 3) === 1 ? "unknown category" : "missing value", ${p}L[f >> 2]!); }`,
      );
      fails = true;
    } else if (st.kind === "bins") {
      runtime.add("skLookup.ts");
      code.push(
        typedConst(`${p}S`, "Int32Array", st.src, runtime),
        typedConst(`${p}D`, "Int32Array", st.dst, runtime),
        typedConst(`${p}ES`, "Int32Array", st.edgeStart, runtime),
        typedConst(`${p}E`, "Float64Array", st.edges, runtime),
        `const ${p}L: readonly string[] = ${dataLit(st.label)};`,
      );
      body.push(`  { const f = skBins(S, ${p}S, ${p}D, ${p}ES, ${p}E); if (f >= 0) preFail_("a value that is not finite", ${p}L[f]!); }`);
      fails = true;
    } else if (st.kind === "func") {
      code.push(typedConst(`${p}S`, "Int32Array", st.src, runtime), typedConst(`${p}D`, "Int32Array", st.dst, runtime));
      const fn = FUNC_CODE[st.fn];
      if (fn.runtime) runtime.add(fn.runtime);
      body.push(`  for (let k = 0; k < ${st.src.length}; k++) S[${p}D[k]!] = ${fn.name}(S[${p}S[k]!]!);`);
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
  if (fails)
    code.push(
      '/** scikit-learn raises on this row: an unknown category (handle_unknown="error"), or a missing or infinite value a step refuses. */',
      "function preFail_(what: string, column: string): never {",
      `  throw new RangeError(${strLit(`modelc model ${ir.name}: `)} + what + " in column " + column);`,
      "}",
    );
  return [...code, body.filter((l) => l !== "").join("\n")];
}
