// Single rows given as plain arrays: linear models check each feature as their raw function reads it (num_, fused
// into the expression) instead of checking and copying the row first. The errors, null/undefined as missing values
// and the results are those of the row check (loadRow); single-row vectors are plain arrays equal, bit for bit, to
// the batch forms' rows.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileToModule, type GeneratedModule } from "../src/compiledModule.ts";
import { parseRowsCsv } from "../src/io/readRows.ts";
import { loadModel } from "../src/loadModel.ts";
import type { ModelIR } from "../src/ir/types.ts";
import { emitTypeScript } from "../emitters/ts/emit.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
/** linear models (binary, multiclass, regression) and, without the fused check, XGBoost's gblinear (float32 rows) and trees with vector outputs */
const CASES = [
  "sk12-logreg-liblinear",
  "sk12-logreg-multinomial",
  "sk12-linear-regression",
  "xgb3-gblinear-binary",
  "xgb3-gblinear-multi",
  "sk12-rf-reg-multioutput",
  "sk12-dt-clf-multioutput",
];
const STYLES = ["ifelse", "table"] as const;

function rowsOf(fixture: string): number[][] {
  const r = parseRowsCsv(readFileSync(join(FIXTURES, fixture, "rows.csv"), "utf8"), "rows.csv");
  return Array.from({ length: Math.min(r.nRows, 40) }, (_, i) => Array.from(r.rows.subarray(i * r.nCols, (i + 1) * r.nCols)));
}

const bits = (v: unknown): unknown => (typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : v);
/** a single-row result as a list of values, checking that a vector is a plain array */
function values(v: unknown): unknown[] {
  if (typeof v === "number" || typeof v === "string") return [bits(v)];
  expect(Array.isArray(v), `a single-row vector is a plain array, got ${Object.prototype.toString.call(v)}`).toBe(true);
  return (v as number[]).map(bits);
}
const batchRow = (out: Float64Array, r: number, per: number) => Array.from(out.subarray(r * per, (r + 1) * per), bits);

describe("single rows on plain arrays", () => {
  for (const fixture of CASES)
    for (const style of STYLES) {
      const ir: ModelIR = loadModel(join(FIXTURES, fixture, "model.json"));
      // a float32 model's rows (XGBoost) are cast into X by the row check: not checked in place
      const fused = ir.model.kind === "linear" && ir.inputCast !== "float32";
      it(`${fixture} ${style}: ${fused ? "checked in place; " : ""}arrays equal to the batch rows, bit for bit`, async () => {
        expect(emitTypeScript(ir, style).includes("function rawChecked_(")).toBe(fused);
        const mod = await compileToModule(ir, style);
        const rows = rowsOf(fixture);
        // a NaN feature in every third row, so the null/undefined rows below differ from the plain ones
        rows.forEach((row, r) => {
          if (r % 3 === 0) row[r % row.length] = NaN;
        });
        const flat = Float64Array.from(rows.flat());
        const n = rows.length;
        const raw = mod.predictRawBatch(flat, n);
        const pred = mod.predictBatch(flat, n);
        const proba = mod.predictProbaBatch?.(flat, n);
        const NO = ir.nOutputs;
        const per = pred.length / n;
        rows.forEach((row, r) => {
          // the same row as a plain array, with null and undefined for its NaNs, and as a Float64Array
          const withNull = row.map((v, i) => (v === v ? v : i % 2 ? null : undefined)) as unknown as number[];
          for (const x of [row, withNull, Float64Array.from(row)]) {
            expect(values(mod.predictRaw(x)), `${fixture} predictRaw row ${r}`).toEqual(batchRow(raw, r, NO));
            const p = mod.predict(x);
            if (typeof p === "string") expect(mod.meta.classes).toContain(p);
            else expect(values(p), `${fixture} predict row ${r}`).toEqual(batchRow(pred, r, per));
            if (proba) {
              const q = mod.predictProba!(x);
              expect(values(q), `${fixture} predictProba row ${r}`).toEqual(batchRow(proba, r, q.length));
              const into = new Float64Array(q.length + 1);
              mod.predictProbaInto!(x, into, 1);
              expect(Array.from(into.subarray(1), bits)).toEqual(batchRow(proba, r, q.length));
            }
          }
        });
      });

      it(`${fixture} ${style}: the row check's errors`, async () => {
        const mod = await compileToModule(ir, style);
        const n = ir.nFeatures;
        const name = `modelc model ${ir.name}`;
        const fns: ((x: unknown) => unknown)[] = [
          (x) => mod.predict(x as number[]),
          (x) => mod.predictRaw(x as number[]),
          ...(mod.predictProba
            ? [(x: unknown) => mod.predictProba!(x as number[]), (x: unknown) => mod.predictProbaInto!(x as number[], new Float64Array(64))]
            : []),
        ];
        for (const f of fns) {
          for (const at of [0, n - 1]) {
            const row: unknown[] = Array(n).fill(0.5);
            row[at] = "1";
            expect(() => f(row)).toThrow(new TypeError(`${name}: feature ${at} is not a number`));
            // the first feature that is not a number is named, as the row check's loop names it
            row[n - 1] = {};
            expect(() => f(row)).toThrow(new TypeError(`${name}: feature ${at} is not a number`));
          }
          expect(() => f(Array(n + 1).fill(0))).toThrow(new RangeError(`${name}: expected a row of ${n} features, got ${n + 1}`));
          expect(() => f(new Float64Array(n - 1))).toThrow(new RangeError(`${name}: expected a row of ${n} features, got ${n - 1}`));
          expect(() => f([])).toThrow(new RangeError(`${name}: expected a row of ${n} features, got 0`));
          for (const bad of [null, undefined, 5, {}]) expect(() => f(bad)).toThrow(new TypeError(`${name}: a row must be an array of ${n} numbers`));
        }
      });
    }

  it("a Float32Array row of a float64 model reads its float32 values (checked in place, as the row check copied them)", async () => {
    const ir = loadModel(join(FIXTURES, "sk12-logreg-liblinear", "model.json"));
    const mod: GeneratedModule = await compileToModule(ir, "ifelse");
    for (const row of rowsOf("sk12-logreg-liblinear")) {
      const f32 = Float32Array.from(row);
      expect(values(mod.predictProba!(f32))).toEqual(values(mod.predictProba!(Float64Array.from(f32))));
    }
  });
});
