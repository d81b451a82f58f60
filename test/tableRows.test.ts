// The generated module's row checks for table models (emitters/tableRows.ts): a missing column, a value of the wrong
// type and a bad batch are TypeError/RangeError naming the column; handle_unknown="error" raises on an unknown
// category (and on NaN when NaN was not a category) as scikit-learn does; meta.features lists the columns.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileToModule } from "../src/compiledModule.ts";
import { importSklearn } from "../src/importers/sklearn/importSklearn.ts";
import { parseTolerantJson } from "../src/io/readJson.ts";

const FX = join(import.meta.dirname, "..", "fixtures", "sk19-tab-ohe-logreg", "model.json");
const doc = () => parseTolerantJson(readFileSync(FX, "utf8")) as Record<string, any>;
const ROW = { plan: "pro", country: "FR", age: 41, spend: 12.5 };

describe("table model rows", () => {
  it("takes an object by column name or an array in column order, the same", async () => {
    for (const style of ["ifelse", "table"] as const) {
      const mod = (await compileToModule(importSklearn(doc()), style)) as any;
      const a = mod.predictProba(ROW);
      const b = mod.predictProba(["pro", "FR", 41, 12.5]);
      expect(Array.from(a)).toEqual(Array.from(b));
      // extra keys are ignored; null is a missing value in both kinds of column
      expect(Array.from(mod.predictProba({ ...ROW, extra: "x" }))).toEqual(Array.from(a));
      expect(mod.predict({ ...ROW, plan: null, age: null })).toMatch(/churn|stay/);
      expect(mod.meta.features).toEqual([
        { name: "plan", kind: "category", categories: ["basic", "enterprise", "pro", "student", "team"] },
        { name: "country", kind: "category", categories: expect.arrayContaining(["FR", "US"]) },
        { name: "age", kind: "number" },
        { name: "spend", kind: "number" },
      ]);
    }
  });

  it("names the column of a missing key or a value of the wrong type", async () => {
    const mod = (await compileToModule(importSklearn(doc()), "ifelse")) as any;
    const { plan: _, ...noPlan } = ROW;
    expect(() => mod.predict(noPlan)).toThrow(TypeError);
    expect(() => mod.predict(noPlan)).toThrow(/no column "plan"/);
    expect(() => mod.predict({ ...ROW, plan: 3 })).toThrow(/column "plan" takes strings, got number/);
    expect(() => mod.predict({ ...ROW, age: "41" })).toThrow(/column "age" takes numbers, got string/);
    expect(() => mod.predict(["pro", "FR", 41])).toThrow(RangeError);
    expect(() => mod.predict("pro")).toThrow(TypeError);
    // batches: typed arrays cannot carry strings; columns must have one length
    expect(() => mod.predictBatch(new Float64Array(4), 1)).toThrow(/string columns/);
    expect(() => mod.predictBatch({ plan: ["pro"], country: ["FR", "US"], age: [1], spend: [2] })).toThrow(/different lengths/);
    expect(() => mod.predictBatch({ plan: ["pro"], country: ["FR"], age: [1] })).toThrow(/no column "spend"/);
    expect(() => mod.predictBatch([ROW, ROW], 3)).toThrow(/nRows is 3/);
    expect(mod.predictBatch([]).length).toBe(0);
  });

  it("handle_unknown='error' raises on an unknown category and on an unseen NaN, naming the column", async () => {
    const d = doc();
    const ohe = d.estimator.attrs.steps[0][1].estimator.attrs.transformers_[0][1].estimator;
    ohe.params.handle_unknown = "error";
    // country has no NaN category: a NaN there is unknown too
    for (const style of ["ifelse", "table"] as const) {
      const mod = (await compileToModule(importSklearn(d), style)) as any;
      expect(() => mod.predict({ ...ROW, plan: "platinum" })).toThrow(/unknown category in column plan/);
      expect(() => mod.predict({ ...ROW, country: Number.NaN })).toThrow(/missing value in column country/);
      expect(() => mod.predictBatch([ROW, { ...ROW, country: "ZZ" }])).toThrow(/unknown category in column country/);
      // plan has NaN and None among its categories: both are known
      expect(() => mod.predict({ ...ROW, plan: Number.NaN })).not.toThrow();
      expect(() => mod.predict({ ...ROW, plan: null })).not.toThrow();
    }
  });
});

describe("modelc diff on a table model", () => {
  it("reads rows with strings from the fixture's rows.json and from CSV", async () => {
    const { diff } = await import("../src/diff.ts");
    const dir = join(import.meta.dirname, "..", "fixtures", "sk19-tab-ohe-hgb");
    const exp = parseTolerantJson(readFileSync(join(dir, "expected.json"), "utf8")) as Record<string, unknown[]>;
    const a = await diff(
      { path: join(dir, "model.json") },
      { rows: { path: join(dir, "rows.json") }, expected: { path: join(dir, "expected.json") }, style: "all" },
    );
    expect(a.ok).toBe(true);
    expect(a.reports[0]!.report.outputs.map((o) => o.output).sort()).toEqual(["predict", "predict_proba", "raw"]);
    // CSV: the rows without NaN (CSV's empty field is None/missing), columns in another order, quoted strings
    const t = parseTolerantJson(readFileSync(join(dir, "rows.json"), "utf8")) as { columns: string[]; rows: unknown[][] };
    const keep = t.rows.map((r, i) => [r, i] as const).filter(([r]) => r.every((v) => v !== null && !(typeof v === "number" && Number.isNaN(v))));
    const cols = [...t.columns].reverse();
    const csv = [
      cols.join(","),
      ...keep.map(([r]) =>
        cols
          .map((c) => {
            const v = r[t.columns.indexOf(c)];
            return typeof v === "string" ? `"${v.replace(/"/g, '""')}"` : String(v);
          })
          .join(","),
      ),
    ].join("\n");
    const b = await diff({ path: join(dir, "model.json") }, { rows: { csv }, expected: { predict: keep.map(([, i]) => exp.predict![i]) } });
    expect(b.ok).toBe(true);
    expect(b.reports[0]!.report.outputs[0]!.compared).toBe(keep.length);
    // a wrong expected value is found
    const bad = keep.map(([, i]) => exp.predict![i]);
    bad[0] = bad[0] === bad[1] ? "nope" : bad[1];
    const c = await diff({ path: join(dir, "model.json") }, { rows: { csv }, expected: { predict: bad } });
    expect(c.ok).toBe(false);
  });
});
