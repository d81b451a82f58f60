// The IR's input preprocessing (src/ir/preprocess.ts) in AssemblyScript, the same loops as the TypeScript emitter
// (emitters/ts/preprocess.ts): the row (float64) is copied into the scratch S, the steps run over tables in the data
// blob, and the model's input X (model width × the input cast) is filled from the output slots.

import type { Preprocess } from "../../src/ir/types.ts";
import type { AsContext } from "./body.ts";
import { f64Lit } from "./literals.ts";

/** Declarations and `function pre_(row: usize, X: usize): void` (row → S → X). */
export function preprocessAs(ctx: AsContext, pre: Preprocess): string[] {
  const d = ctx.data;
  const at = (p: string, k: string, sh: number) => `${p} + (<usize>${k} << ${sh})`;
  const S = (slot: string) => `S + (<usize>${slot} << 3)`;
  const code: string[] = [`const S = memory.data(${8 * pre.slots}, 8);`];
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
  return [...code, body.join("\n")];
}
