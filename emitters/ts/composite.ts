// Composite models (types.ts CompositeModel, src/ir/composite.ts): each member is its own generated module (module.ts
// with `embedded`: no exports, runtime helpers inlined once by the parent) wrapped in a closure, so its names stay its
// own; the parent's raw_ gathers each member's columns, calls the member's predict, predictRaw or predictProbaInto,
// and adds the contributions slot by slot in member order, as compositeRaw does. With a final model (Stacking) the
// slots, then the row when passthrough, are the final model's row, and its predictRaw gives the raw scores.

import { compositeSlots } from "../../src/ir/composite.ts";
import type { CompositeModel, ModelIR } from "../../src/ir/types.ts";
import { apiShape } from "../../src/api/apiShape.ts";
import type { Style } from "../style.ts";
import { numLit } from "../literals.ts";
import { typedConst, type Body } from "./body.ts";
import { writeModule } from "./module.ts";

export function emitComposite(ir: ModelIR, c: CompositeModel, style: Style, memberBody: (m: ModelIR) => Body): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const NS = compositeSlots(c, ir.nOutputs);
  const final = c.final;
  // the slots: R itself, or the final model's row
  const S = final ? "CZ" : "R";
  if (final) code.push(`const CZ = new Float64Array(${final.ir.nFeatures});`);
  const raw: string[] = ["function raw_(x: Float64Array, R: Float64Array): void {"];
  // slots already holding a value: with sum "first" a slot's first contribution is stored, later ones added
  const set = new Uint8Array(NS);
  if (c.sum === "zero") set.fill(1);
  const add = (slot: string, k: number | undefined, v: string): string => {
    if (k !== undefined && set[k] === 0) {
      set[k] = 1;
      return `  ${S}[${slot}] = ${v};`;
    }
    return `  ${S}[${slot}] = ${S}[${slot}]! + ${v};`;
  };
  const embed = (m: ModelIR, name: string, fns: string[], what: string): void => {
    const text = writeModule(m, memberBody(m), { style, embedded: runtime });
    code.push(`// ${what}`, `const ${name} = (() => {`, text, `return { ${fns.join(", ")} };`, "})();");
  };
  c.members.forEach((m, i) => {
    const api = apiShape(m.ir);
    const fn = m.use === "proba" ? "predictProbaInto" : m.use === "raw" ? "predictRaw" : "predict";
    if (!api.functions.includes(fn)) throw new Error(`internal: composite member ${i} has no ${fn}`);
    embed(m.ir, `CM${i}`, [fn], `member ${i}`);
    let row = "x";
    if (m.features) {
      code.push(typedConst(`CF${i}`, "Int32Array", m.features, runtime), `const CG${i} = new Float64Array(${m.features.length});`);
      raw.push(`  for (let j = 0; j < ${m.features.length}; j++) CG${i}[j] = x[CF${i}[j]!]!;`);
      row = `CG${i}`;
    }
    const w = (v: string): string => (m.weight !== undefined ? `${v} * ${numLit(m.weight)}` : v);
    const vector = (n: number, value: (j: number) => string): void => {
      for (let j = 0; j < n; j++) {
        const k = m.slots ? m.slots[j]! : j;
        if (k >= 0) raw.push(add(String(k), k, w(value(j))));
      }
    };
    if (m.use === "proba") {
      code.push(`const CP${i} = new Float64Array(${api.proba});`);
      raw.push(`  CM${i}.predictProbaInto(${row}, CP${i}, 0);`);
      vector(api.proba, (j) => `CP${i}[${j}]!`);
    } else if (m.use === "raw") {
      const n = m.ir.nOutputs;
      if (n === 1) raw.push(`  const CR${i} = CM${i}.predictRaw(${row}) as number;`);
      else raw.push(`  const CR${i} = CM${i}.predictRaw(${row}) as Float64Array;`);
      vector(n, (j) => (n === 1 ? `CR${i}` : `CR${i}[${j}]!`));
    } else if (m.use === "predict") {
      const k = m.slots ? m.slots[0]! : 0;
      raw.push(add(String(k), k, w(`(CM${i}.predict(${row}) as number)`)));
    } else {
      if (c.sum !== "zero") throw new Error("internal: votes need sum zero");
      raw.push(`  { const c = CM${i}.predict(${row}) as number;`, add("c", undefined, m.weight !== undefined ? numLit(m.weight) : "1"), "  }");
    }
  });
  if (set.includes(0) || c.sum === "zero") raw.splice(1, 0, `  for (let k = 0; k < ${NS}; k++) ${S}[k] = 0;`);
  if (c.divisor !== undefined) raw.push(`  for (let k = 0; k < ${NS}; k++) ${S}[k] = ${S}[k]! / ${numLit(c.divisor)};`);
  if (c.offset) c.offset.forEach((o, k) => raw.push(`  ${S}[${k}] = ${S}[${k}]! + ${numLit(o)};`));
  if (final) {
    embed(final.ir, "CMF", ["predictRaw"], "the final estimator");
    if (final.passthrough) raw.push(`  for (let i = 0; i < ${final.ir.nFeatures - NS}; i++) CZ[${NS} + i] = x[i]!;`);
    raw.push(ir.nOutputs === 1 ? "  R[0] = CMF.predictRaw(CZ) as number;" : "  R.set(CMF.predictRaw(CZ) as Float64Array);");
  }
  raw.push("}");
  return { code: [...code, raw.join("\n")], runtime, rawFn: "raw_" };
}
