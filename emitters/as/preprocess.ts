// The IR's input preprocessing (src/ir/preprocess.ts) in AssemblyScript, the same loops as the TypeScript emitter
// (emitters/ts/preprocess.ts): the row (float64) is copied into the scratch S, the steps run over tables in the data
// blob, and the model's input X (model width × the input cast) is filled from the output slots.

import type { Preprocess } from "../../src/ir/types.ts";
import type { AsContext } from "./body.ts";
import { f64Lit } from "./literals.ts";

/** Declarations and `function pre_(row: usize, X: usize): void` (row → S → X). */
export function preprocessAs(ctx: AsContext, pre: Preprocess, runtime: Set<string>): string[] {
  const d = ctx.data;
  const at = (p: string, k: string, sh: number) => `${p} + (<usize>${k} << ${sh})`;
  const S = (slot: string) => `S + (<usize>${slot} << 3)`;
  const code: string[] = [`const S = memory.data(${8 * pre.slots}, 8);`];
  let fails = false;
  const body: string[] = [
    "function pre_(row: usize, X: usize): void {",
    `  for (let i = 0; i < ${ctx.ir.nFeatures}; i++) store<f64>(${S("i")}, load<f64>(${at("row", "i", 3)}));`,
  ];
  pre.steps.forEach((st, i) => {
    const p = `P${i}`;
    if (st.kind === "map") {
      code.push(d.i32(`${p}S`, st.src), d.i32(`${p}D`, st.dst), d.f64(`${p}A`, st.a));
      if (st.op === "clip") code.push(d.f64(`${p}B`, st.b!));
      const a = `load<f64>(${at(`${p}A`, "k", 3)})`;
      const expr = {
        sub: `v - ${a}`,
        add: `v + ${a}`,
        mul: `v * ${a}`,
        div: `v / ${a}`,
        fill: `v != v ? ${a} : v`,
        clip: `v != v ? v : min<f64>(max<f64>(v, ${a}), load<f64>(${at(`${p}B`, "k", 3)}))`,
      }[st.op];
      body.push(
        `  for (let k = 0; k < ${st.src.length}; k++) {`,
        `    const v = load<f64>(${S(`load<i32>(${at(`${p}S`, "k", 2)})`)});`,
        `    store<f64>(${S(`load<i32>(${at(`${p}D`, "k", 2)})`)}, ${expr});`,
        "  }",
      );
    } else if (st.kind === "lookup") {
      runtime.add("lookup.as");
      code.push(
        d.i32(`${p}S`, st.src),
        d.i32(`${p}DS`, st.dstStart),
        d.i32(`${p}D`, st.dst),
        d.i32(`${p}KS`, st.keyStart),
        d.f64(`${p}K`, st.keys),
        d.i32(`${p}TS`, st.tableStart),
        d.f64(`${p}T`, st.table),
        d.i32(`${p}F`, st.fail),
      );
      body.push(
        `  { const f = skLookup(S, ${p}S, ${p}DS, ${p}D, ${p}KS, ${p}K, ${p}TS, ${p}T, ${p}F, ${st.src.length}); if (f >= 0 && FAIL_STEP < 0) { FAIL_STEP = ${i}; FAIL_CODE = f; } }`,
      );
      fails = true;
    } else if (st.kind === "bins") {
      runtime.add("lookup.as");
      code.push(d.i32(`${p}S`, st.src), d.i32(`${p}D`, st.dst), d.i32(`${p}ES`, st.edgeStart), d.f64(`${p}E`, st.edges));
      body.push(`  { const f = skBins(S, ${p}S, ${p}D, ${p}ES, ${p}E, ${st.src.length}); if (f >= 0 && FAIL_STEP < 0) { FAIL_STEP = ${i}; FAIL_CODE = f; } }`);
      fails = true;
    } else if (st.kind === "func") {
      code.push(d.i32(`${p}S`, st.src), d.i32(`${p}D`, st.dst));
      const fn = { log1p: "log1p", expm1: "fdlibmExpm1", log: "log", exp: "exp", sqrt: "sqrt<f64>" }[st.fn];
      const rt = { log1p: "log1p.as", expm1: "kernel.as", log: "log.as", exp: "exp.as", sqrt: undefined }[st.fn];
      if (rt) runtime.add(rt);
      body.push(
        `  for (let k = 0; k < ${st.src.length}; k++) store<f64>(${S(`load<i32>(${at(`${p}D`, "k", 2)})`)}, ${fn}(load<f64>(${S(`load<i32>(${at(`${p}S`, "k", 2)})`)})));`,
      );
    } else if (st.kind === "product") {
      code.push(d.i32(`${p}A`, st.a), d.i32(`${p}B`, st.b), d.i32(`${p}D`, st.dst));
      body.push(
        `  for (let k = 0; k < ${st.dst.length}; k++) {`,
        `    const a = load<i32>(${at(`${p}A`, "k", 2)});`,
        `    const b = load<i32>(${at(`${p}B`, "k", 2)});`,
        `    store<f64>(${S(`load<i32>(${at(`${p}D`, "k", 2)})`)}, b < 0 ? 1.0 : a < 0 ? load<f64>(${S("b")}) : load<f64>(${S("a")}) * load<f64>(${S("b")}));`,
        "  }",
      );
    } else {
      code.push(d.i32(`${p}S`, st.src), d.i32(`${p}D`, st.dst));
      const acc = { l1: "n += abs<f64>(v);", l2: "n += v * v;", max: "n = max<f64>(n, abs<f64>(v));" }[st.norm];
      body.push(
        "  {",
        "    let n: f64 = 0.0;",
        `    for (let k = 0; k < ${st.src.length}; k++) { const v = load<f64>(${S(`load<i32>(${at(`${p}S`, "k", 2)})`)}); ${acc} }`,
        ...(st.norm === "l2" ? ["    n = sqrt<f64>(n);"] : []),
        `    if (n == 0.0 || n < ${f64Lit(st.floor)}) n = 1.0;`,
        `    for (let k = 0; k < ${st.src.length}; k++) store<f64>(${S(`load<i32>(${at(`${p}D`, "k", 2)})`)}, load<f64>(${S(`load<i32>(${at(`${p}S`, "k", 2)})`)}) / n);`,
        "  }",
      );
    }
  });
  code.push(d.i32("PO", pre.output));
  const xt = ctx.xt;
  body.push(
    `  for (let i = 0; i < ${pre.output.length}; i++) store<${xt}>(${at("X", "i", xt === "f32" ? 2 : 3)}, <${xt}>load<f64>(${S(`load<i32>(${at("PO", "i", 2)})`)}));`,
    "}",
  );
  // where scikit-learn raises (unknown category, missing or infinite value): the first failing step and its code,
  // read and cleared by the exported preFail() (the loader throws with the column's name)
  if (fails)
    code.push(
      "let FAIL_STEP: i32 = -1;",
      "let FAIL_CODE: i32 = 0;",
      "export function preFail(): i32 {",
      "  const s = FAIL_STEP;",
      "  FAIL_STEP = -1;",
      "  return s < 0 ? -1 : (s << 20) | FAIL_CODE;",
      "}",
    );
  return [...code, body.join("\n")];
}
