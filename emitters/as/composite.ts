// Composite models in AssemblyScript (types.ts CompositeModel, src/ir/composite.ts): each member is a whole model
// namespace (module.ts emitUnit) nested in the parent's, and the parent's rawBlock_ runs on a block of rows: each
// member's columns are copied into its input buffer (cast to f32 where the member reads float32 rows, exactly as the
// JavaScript module's Float32Array does), the member's predictBatch or predictProbaBatch scores the block, and its
// contributions are added to ACC slot by slot, members in order, as compositeRaw does.

import { compositeSlots } from "../../src/ir/composite.ts";
import { probaWidth, type CompositeModel, type ModelIR } from "../../src/ir/types.ts";
import type { AsBody, AsContext } from "./body.ts";
import type { CompositeModel as CM } from "../../src/ir/types.ts";
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
  const cal = c.calibrate;
  const NZ = final ? final.ir.nFeatures : cal ? NS : NO;
  const S = final ? "CZ" : cal ? "CSB" : "ACC";
  if (final) code.push(`const CZ = memory.data(${block * NZ * 8}, 8);`);
  if (cal) code.push(`const CSB = memory.data(${block * NZ * 8}, 8);`);
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
  if (cal) raw.push(...calibrateAs(ctx, cal, NO, NS, code, runtime));
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

/** CalibratedClassifierCV: each row's calibrators from CSB into ACC, then the normalization (calibrateSlots). */
function calibrateAs(ctx: AsContext, cal: NonNullable<CM["calibrate"]>, K: number, NS: number, code: string[], runtime: Set<string>): string[] {
  if (cal.maps.some((m) => m.kind === "sigmoid")) runtime.add("lgb.as");
  if (cal.normalize === "sum") runtime.add("sk.as");
  if (cal.maps.some((m) => m.kind === "isotonic"))
    code.push(
      "function ciso_(X: usize, Y: usize, n: i32, t: f64, lo: f64, hi: f64): f64 {",
      "  if (t != t) return t;",
      "  const v = min<f64>(max<f64>(t, lo), hi);",
      "  if (v < load<f64>(X)) return load<f64>(Y);",
      "  const last = <usize>(n - 1) << 3;",
      "  if (v >= load<f64>(X + last)) return load<f64>(Y + last);",
      "  let j = 0;",
      "  while (j + 1 < n && load<f64>(X + (<usize>(j + 1) << 3)) <= v) j++;",
      "  const x0 = load<f64>(X + (<usize>j << 3));",
      "  const y0 = load<f64>(Y + (<usize>j << 3));",
      "  if (x0 == v) return y0;",
      "  const x1 = load<f64>(X + (<usize>(j + 1) << 3));",
      "  const y1 = load<f64>(Y + (<usize>(j + 1) << 3));",
      "  const slope = (y1 - y0) / (x1 - x0);",
      "  let r = slope * (v - x0) + y0;",
      "  if (r != r) {",
      "    r = slope * (v - x1) + y1;",
      "    if (r != r && y0 == y1) r = y0;",
      "  }",
      "  return r;",
      "}",
    );
  const out = [
    "  for (let r = 0; r < n; r++) {",
    `    const R = ACC + <usize>r * ${8 * K};`,
    `    const s = CSB + <usize>r * ${8 * NS};`,
    `    for (let k = 0; k < ${K}; k++) store<f64>(R + (<usize>k << 3), 0.0);`,
  ];
  cal.maps.forEach((m, j) => {
    const k = cal.classOf[j]!;
    if (m.kind === "sigmoid") out.push(`    store<f64>(R, lgbSigmoid(-(${f64Lit(m.a)} * load<f64>(s, ${8 * j}) + ${f64Lit(m.b)}), 1.0), ${8 * k});`);
    else {
      code.push(ctx.data.f64(`CIX${j}`, m.x), ctx.data.f64(`CIY${j}`, m.y));
      out.push(`    store<f64>(R, ciso_(CIX${j}, CIY${j}, ${m.x.length}, load<f64>(s, ${8 * j}), ${f64Lit(m.lo)}, ${f64Lit(m.hi)}), ${8 * k});`);
    }
  });
  if (cal.normalize === "binary") out.push("    store<f64>(R, 1.0 - load<f64>(R, 8));");
  else
    out.push(
      `    const d = 0.0 + skPairwiseSum(R, ${K});`,
      `    for (let k = 0; k < ${K}; k++) { const p = R + (<usize>k << 3); store<f64>(p, d != 0.0 ? load<f64>(p) / d : ${f64Lit(1 / K)}); }`,
    );
  out.push(
    `    for (let k = 0; k < ${K}; k++) { const p = R + (<usize>k << 3); const v = load<f64>(p); if (v > 1.0 && v <= ${f64Lit(1 + 1e-5)}) store<f64>(p, 1.0); }`,
    "  }",
  );
  return out;
}
