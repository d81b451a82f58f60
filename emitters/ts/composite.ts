// Composite models (types.ts CompositeModel, src/ir/composite.ts): each member is its own generated module (module.ts
// with `embedded`: no exports, runtime helpers inlined once by the parent) wrapped in a closure, so its names stay its
// own; the parent's raw_ gathers each member's columns, calls the member's predict or predictProbaInto, and adds the
// contributions slot by slot in member order, as compositeRaw does.

import type { CompositeModel, ModelIR } from "../../src/ir/types.ts";
import { apiShape, hasFunction } from "../../src/api/apiShape.ts";
import type { Style } from "../style.ts";
import { numLit } from "../literals.ts";
import { typedConst, type Body } from "./body.ts";
import { writeModule } from "./module.ts";

export function emitComposite(ir: ModelIR, c: CompositeModel, style: Style, memberBody: (m: ModelIR) => Body): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const NO = ir.nOutputs;
  const raw: string[] = ["function raw_(x: Float64Array, R: Float64Array): void {"];
  // slots already holding a value: with sum "first" a slot's first contribution is stored, later ones added
  const set = new Uint8Array(NO);
  if (c.sum === "zero") {
    raw.push(`  for (let k = 0; k < ${NO}; k++) R[k] = 0;`);
    set.fill(1);
  }
  const add = (slot: string, k: number | undefined, v: string): string => {
    if (k !== undefined && set[k] === 0) {
      set[k] = 1;
      return `  R[${slot}] = ${v};`;
    }
    return `  R[${slot}] = R[${slot}]! + ${v};`;
  };
  c.members.forEach((m, i) => {
    const api = apiShape(m.ir);
    const proba = m.use === "proba";
    const fns = proba ? ["predict", "predictProbaInto"] : ["predict"];
    if (proba && !hasFunction(api, "predictProbaInto")) throw new Error(`internal: composite member ${i} has no predictProba`);
    const text = writeModule(m.ir, memberBody(m.ir), { style, embedded: runtime });
    code.push(`// member ${i}: ${m.ir.source.objective ?? m.ir.model.kind}`, `const CM${i} = (() => {`, text, `return { ${fns.join(", ")} };`, "})();");
    let row = "x";
    if (m.features) {
      code.push(typedConst(`CF${i}`, "Int32Array", m.features, runtime), `const CG${i} = new Float64Array(${m.features.length});`);
      raw.push(`  for (let j = 0; j < ${m.features.length}; j++) CG${i}[j] = x[CF${i}[j]!]!;`);
      row = `CG${i}`;
    }
    const w = (v: string): string => (m.weight !== undefined ? `${v} * ${numLit(m.weight)}` : v);
    if (proba) {
      const n = api.proba;
      code.push(`const CP${i} = new Float64Array(${n});`);
      raw.push(`  CM${i}.predictProbaInto(${row}, CP${i}, 0);`);
      for (let j = 0; j < n; j++) {
        const k = m.slots ? m.slots[j]! : j;
        raw.push(add(String(k), k, w(`CP${i}[${j}]!`)));
      }
    } else if (m.use === "predict") {
      raw.push(add("0", 0, w(`(CM${i}.predict(${row}) as number)`)));
    } else {
      if (c.sum !== "zero") throw new Error("internal: votes need sum zero");
      raw.push(`  { const c = CM${i}.predict(${row}) as number;`, add("c", undefined, m.weight !== undefined ? numLit(m.weight) : "1"), "  }");
    }
  });
  if (set.includes(0)) raw.splice(1, 0, `  for (let k = 0; k < ${NO}; k++) R[k] = 0;`);
  if (c.divisor !== undefined) raw.push(`  for (let k = 0; k < ${NO}; k++) R[k] = R[k]! / ${numLit(c.divisor)};`);
  raw.push("}");
  return { code: [...code, raw.join("\n")], runtime, rawFn: "raw_" };
}
