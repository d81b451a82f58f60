// Guards in generated modules: wrong row lengths, non-numeric entries, null/undefined as missing,
// typed arrays of either precision, and batch calls whose nRows does not match the buffer.

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileToModule, type GeneratedModule } from "../src/compiledModule.ts";
import { loadModel } from "../src/loadModel.ts";

describe("runtime guards", () => {
  const ir = loadModel(join(import.meta.dirname, "..", "fixtures", "xgb3-binary-logistic", "model.json"));
  const n = ir.nFeatures;
  let mod: GeneratedModule;
  beforeAll(async () => {
    mod = await compileToModule(ir, "table");
  });

  it("a row of the wrong length is a RangeError naming both lengths", () => {
    expect(() => mod.predict(Array(n + 1).fill(0))).toThrow(new RegExp(`expected a row of ${n} features, got ${n + 1}`));
    expect(() => mod.predictProba!([])).toThrow(RangeError);
  });

  it("non-numeric entries are a TypeError; a non-array is a TypeError", () => {
    const row: unknown[] = Array(n).fill(0);
    row[2] = "3";
    expect(() => mod.predict(row as number[])).toThrow(/feature 2 is not a number/);
    expect(() => mod.predict(null as unknown as number[])).toThrow(TypeError);
    expect(() => mod.predict(5 as unknown as number[])).toThrow(TypeError);
  });

  it("predictProbaInto checks its output buffer and offset", () => {
    const row = Array(n).fill(0.5);
    const out = new Float64Array(4);
    expect(mod.predictProbaInto!(row, out, 2)).toBe(out);
    expect(Array.from(out.subarray(2))).toEqual(Array.from(mod.predictProba!(row)));
    expect(() => mod.predictProbaInto!(row, out, 3)).toThrow(/out needs 2 values from offset 3, has 4/);
    expect(() => mod.predictProbaInto!(row, out, -1)).toThrow(RangeError);
    expect(() => mod.predictProbaInto!(row, out, 0.5)).toThrow(RangeError);
    expect(() => mod.predictProbaInto!(row, new Float32Array(2) as unknown as Float64Array)).toThrow(/out must be a Float64Array/);
    expect(() => mod.predictProbaInto!(Array(n + 1).fill(0), out)).toThrow(RangeError);
  });

  it("null and undefined are missing values, like NaN", () => {
    const base = Array(n).fill(0.25);
    const a = [...base];
    const b = [...base];
    const c = [...base];
    a[0] = NaN;
    b[0] = null;
    c[0] = undefined;
    expect(mod.predictRaw(b as number[])).toBe(mod.predictRaw(a));
    expect(mod.predictRaw(c as number[])).toBe(mod.predictRaw(a));
  });

  it("batches take Float64Array and Float32Array and check nRows", () => {
    const rows = new Float64Array(3 * n).map((_, i) => (i % 7) - 3);
    const out64 = mod.predictProbaBatch!(rows, 3);
    const out32 = mod.predictProbaBatch!(new Float32Array(rows), 3);
    expect(Array.from(out32)).toEqual(Array.from(out64));
    expect(() => mod.predictBatch(rows, 2)).toThrow(/expected nRows × \d+ values, got nRows = 2/);
    expect(() => mod.predictBatch(rows, -1)).toThrow(RangeError);
    expect(() => mod.predictBatch(rows, 1.5)).toThrow(RangeError);
    expect(() => mod.predictBatch(Array.from(rows) as unknown as Float64Array, 3)).toThrow(TypeError);
    expect(mod.predictBatch(new Float64Array(0), 0).length).toBe(0);
  });
});
