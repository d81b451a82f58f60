// Composite models in AssemblyScript (types.ts CompositeModel, src/ir/composite.ts): each member is a whole model
// namespace (module.ts emitUnit) nested in the parent's, and the parent's rawBlock_ runs on a block of rows: each
// member's columns are copied into its input buffer (cast to f32 where the member reads float32 rows, exactly as the
// JavaScript module's Float32Array does), the member's predictBatch or predictProbaBatch scores the block, and its
// contributions are added to ACC slot by slot, members in order, as compositeRaw does.

import { compositeSlots } from "../../src/ir/composite.ts";
import { probaWidth, type CompositeModel, type ModelIR } from "../../src/ir/types.ts";
import type { AsBody, AsContext } from "./body.ts";
import { unsupported } from "./body.ts";
import { f64Lit } from "./literals.ts";

export type MemberUnit = (ir: ModelIR, ns: string) => { code: string; runtime: Set<string> };

export function emitCompositeAs(ctx: AsContext, c: CompositeModel, block: number, unit: MemberUnit): AsBody {
  const runtime = new Set<string>();
  const code: string[] = [];
  const NO = ctx.ir.nOutputs;
  const NS = compositeSlots(c, NO);
  const final = c.final;
  // the slots of row r: ACC itself, or the final model's rows (f64, NZ values each) in CZ
  const NZ = final ? final.ir.nFeatures : NO;
  const S = final ? "CZ" : "ACC";
  if (final) code.push(`const CZ = memory.data(${block * NZ * 8}, 8);`);
  const raw: string[] = ["function rawBlock_(x: usize, n: i32, stride: usize): void {"];
  const set = new Uint8Array(NS);
  if (c.sum === "zero") set.fill(1);
  const add = (k: number, v: string): string => {
    if (set[k] === 0) {
      set[k] = 1;
      return `    store<f64>(R, ${v}, ${8 * k});`;
    }
    return `    store<f64>(R, load<f64>(R, ${8 * k}) + ${v}, ${8 * k});`;
  };
  const embed = (m: ModelIR, ns: string, what: string): void => {
    const u = unit(m, ns);
    for (const r of u.runtime) runtime.add(r);
    code.push(`// ${what}`, u.code);
  };
  /** row type of a model's batch input: f32 when it casts to float32 without preprocessing (module.ts rowType) */
  const rowT = (m: ModelIR): "f32" | "f64" => (m.inputCast === "float32" && !m.preprocess ? "f32" : "f64");
  c.members.forEach((m, i) => {
    embed(m.ir, `c${i}`, `member ${i}`);
    const t = rowT(m.ir);
    const sz = t === "f32" ? 4 : 8;
    const W = m.ir.nFeatures;
    code.push(`const CX${i} = memory.data(${block * W * sz}, 8);`);
    if (m.features) code.push(ctx.data.i32(`CF${i}`, m.features));
    const col = m.features ? `<usize>load<i32>(CF${i} + (<usize>j << 2))` : "<usize>j";
    raw.push(
      "  for (let r = 0; r < n; r++) {",
      `    const s = x + <usize>r * stride;`,
      `    const d = CX${i} + <usize>r * ${W * sz};`,
      `    for (let j = 0; j < ${W}; j++) store<${t}>(d + (<usize>j << ${sz === 4 ? 2 : 3}), <${t}>load<f64>(s + (${col} << 3)));`,
      "  }",
    );
    const per = m.use === "proba" ? probaWidth(m.ir) : m.use === "raw" ? m.ir.nOutputs : 1;
    code.push(`const CO${i} = memory.data(${block * per * 8}, 8);`);
    const fn = m.use === "proba" ? "predictProbaBatch" : m.use === "raw" ? "predictRawBatch" : "predictBatch";
    raw.push(
      `  c${i}.${fn}(CX${i}, n, CO${i});`,
      "  for (let r = 0; r < n; r++) {",
      `    const R = ${S} + <usize>r * ${8 * NZ};`,
      `    const o = CO${i} + <usize>r * ${8 * per};`,
    );
    const w = (v: string): string => (m.weight !== undefined ? `${v} * ${f64Lit(m.weight)}` : v);
    if (m.use === "proba" || m.use === "raw") {
      for (let j = 0; j < per; j++) {
        const k = m.slots ? m.slots[j]! : j;
        if (k >= 0) raw.push(add(k, w(`load<f64>(o, ${8 * j})`)));
      }
    } else if (m.use === "predict") {
      raw.push(add(m.slots ? m.slots[0]! : 0, w("load<f64>(o)")));
    } else {
      if (c.sum !== "zero") unsupported("votes summed from the first member");
      raw.push(
        "    const v = R + (<usize>(<i32>load<f64>(o)) << 3);",
        `    store<f64>(v, load<f64>(v) + ${m.weight !== undefined ? f64Lit(m.weight) : "1.0"});`,
      );
    }
    raw.push("  }");
  });
  if (set.includes(0) || c.sum === "zero")
    raw.splice(1, 0, `  for (let r = 0; r < n; r++) for (let k = 0; k < ${NS}; k++) store<f64>(${S} + ((<usize>r * ${NZ} + <usize>k) << 3), 0.0);`);
  if (c.divisor !== undefined)
    raw.push(
      `  for (let r = 0; r < n; r++) for (let k = 0; k < ${NS}; k++) {`,
      `    const p = ${S} + ((<usize>r * ${NZ} + <usize>k) << 3);`,
      `    store<f64>(p, load<f64>(p) / ${f64Lit(c.divisor)});`,
      "  }",
    );
  if (c.offset)
    raw.push(
      "  for (let r = 0; r < n; r++) {",
      `    const R = ${S} + <usize>r * ${8 * NZ};`,
      ...c.offset.map((o, k) => `    store<f64>(R, load<f64>(R, ${8 * k}) + ${f64Lit(o)}, ${8 * k});`),
      "  }",
    );
  if (final) {
    // the final model's rows: the slots, then the row itself (passthrough), in its input type; its raw scores into ACC
    embed(final.ir, "cf", "the final estimator");
    const t = rowT(final.ir);
    if (final.passthrough)
      raw.push(
        "  for (let r = 0; r < n; r++) {",
        `    const s = x + <usize>r * stride;`,
        `    const d = CZ + <usize>r * ${8 * NZ} + ${8 * NS};`,
        `    for (let j = 0; j < ${NZ - NS}; j++) store<f64>(d + (<usize>j << 3), load<f64>(s + (<usize>j << 3)));`,
        "  }",
      );
    if (t === "f32") {
      code.push(`const CZF = memory.data(${block * NZ * 4}, 8);`);
      raw.push(`  for (let j = 0; j < n * ${NZ}; j++) store<f32>(CZF + (<usize>j << 2), <f32>load<f64>(CZ + (<usize>j << 3)));`);
    }
    raw.push(`  cf.predictRawBatch(${t === "f32" ? "CZF" : "CZ"}, n, ACC);`);
  }
  raw.push("}");
  return { code: [...code, raw.join("\n")], runtime };
}
