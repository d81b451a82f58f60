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
  const cal = c.calibrate;
  const S = final ? "CZ" : cal ? "CS" : "R";
  if (final) code.push(`const CZ = new Float64Array(${final.ir.nFeatures});`);
  if (cal) code.push(`const CS = new Float64Array(${NS});`);
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
      else raw.push(`  const CR${i} = CM${i}.predictRaw(${row}) as number[];`);
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
  if (cal) raw.push(...calibrateLines(cal, ir.nOutputs, code, runtime));
  if (final) {
    embed(final.ir, "CMF", ["predictRaw"], "the final estimator");
    if (final.passthrough) raw.push(`  for (let i = 0; i < ${final.ir.nFeatures - NS}; i++) CZ[${NS} + i] = x[i]!;`);
    raw.push(ir.nOutputs === 1 ? "  R[0] = CMF.predictRaw(CZ) as number;" : "  R.set(CMF.predictRaw(CZ) as number[]);");
  }
  raw.push("}");
  return { code: [...code, raw.join("\n")], runtime, rawFn: "raw_" };
}

/** CalibratedClassifierCV: the calibrators on CS into R, then the normalization (compositeRaw's calibrateSlots). */
function calibrateLines(cal: NonNullable<CompositeModel["calibrate"]>, K: number, code: string[], runtime: Set<string>): string[] {
  const out: string[] = [`  for (let k = 0; k < ${K}; k++) R[k] = 0;`];
  if (cal.maps.some((m) => m.kind === "sigmoid")) runtime.add("lgbSigmoid.ts");
  if (cal.maps.some((m) => m.kind === "isotonic"))
    code.push(
      "/** np.clip, then np.interp (scipy's interp1d for float64), as src/ir/composite.ts calibrateValue. */",
      "function ciso_(X: Float64Array, Y: Float64Array, t: number, lo: number, hi: number): number {",
      "  if (t !== t) return t;",
      "  const v = Math.min(Math.max(t, lo), hi);",
      "  const n = X.length;",
      "  if (v < X[0]!) return Y[0]!;",
      "  if (v >= X[n - 1]!) return Y[n - 1]!;",
      "  let j = 0;",
      "  while (j + 1 < n && X[j + 1]! <= v) j++;",
      "  if (X[j] === v) return Y[j]!;",
      "  const slope = (Y[j + 1]! - Y[j]!) / (X[j + 1]! - X[j]!);",
      "  let r = slope * (v - X[j]!) + Y[j]!;",
      "  if (r !== r) {",
      "    r = slope * (v - X[j + 1]!) + Y[j + 1]!;",
      "    if (r !== r && Y[j] === Y[j + 1]) r = Y[j]!;",
      "  }",
      "  return r;",
      "}",
    );
  cal.maps.forEach((m, j) => {
    const k = cal.classOf[j]!;
    if (m.kind === "sigmoid") out.push(`  R[${k}] = lgbSigmoid(-(${numLit(m.a)} * CS[${j}]! + ${numLit(m.b)}), 1);`);
    else {
      code.push(typedConst(`CIX${j}`, "Float64Array", m.x, runtime), typedConst(`CIY${j}`, "Float64Array", m.y, runtime));
      out.push(`  R[${k}] = ciso_(CIX${j}, CIY${j}, CS[${j}]!, ${numLit(m.lo)}, ${numLit(m.hi)});`);
    }
  });
  if (cal.normalize === "binary") out.push("  R[0] = 1 - R[1]!;");
  else {
    runtime.add("skSoftmax.ts");
    out.push(`  { const d = 0 + skPairwiseSum(R, 0, ${K}); for (let k = 0; k < ${K}; k++) R[k] = d !== 0 ? R[k]! / d : ${numLit(1 / K)}; }`);
  }
  out.push(`  for (let k = 0; k < ${K}; k++) if (R[k]! > 1 && R[k]! <= ${numLit(1 + 1e-5)}) R[k] = 1;`);
  return out;
}
