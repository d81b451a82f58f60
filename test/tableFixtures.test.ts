// Parity on table models (scikit-learn pipelines fitted on DataFrames with string columns, python/fixtures/sk_cases_tab.py):
// every fixture with rows.json, every style, rows passed as the module's users pass them (arrays in column order,
// objects by column name, batches as arrays of rows and as objects of columns), against the real library's outputs.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import type { GeneratedModule } from "../src/compiledModule.ts";
import { compileToModule } from "../src/compiledModule.ts";
import { rowEncoder } from "../src/ir/columns.ts";
import { evaluateOutput, evaluatePredictRaw } from "../src/ir/evaluate.ts";
import { PreprocessError } from "../src/ir/preprocess.ts";
import { parseTolerantJson } from "../src/io/readJson.ts";
import { loadModel } from "../src/loadModel.ts";
import { compareWithExpected, defaultRule, formatReport, type ExpectedOutputs } from "../src/parity.ts";
import { assertKnownKeys, comparable, type RefusalMeta } from "./support/fixtureOutputs.ts";
import { byIndex, readTableRows, rowObjects, ruleByIndex } from "./support/tableRows.ts";

const ROOT = join(import.meta.dirname, "..", "fixtures");
const dirs = existsSync(ROOT)
  ? readdirSync(ROOT)
      .filter((d) => existsSync(join(ROOT, d, "rows.json")) && existsSync(join(ROOT, d, "meta.json")))
      .sort()
  : [];

describe("table models (string columns) against the real scikit-learn", () => {
  it("there are table fixtures", () => {
    expect(dirs.length).toBeGreaterThan(10);
  });

  for (const name of dirs) {
    const dir = join(ROOT, name);
    it(name, async () => {
      const meta = parseTolerantJson(readFileSync(join(dir, "meta.json"), "utf8")) as RefusalMeta & { classes?: (number | string)[] };
      const data = readTableRows(join(dir, "rows.json"));
      const expected = parseTolerantJson(readFileSync(join(dir, "expected.json"), "utf8")) as ExpectedOutputs;
      assertKnownKeys(expected, meta, name);
      const ir = loadModel(join(dir, "model.json"), {});
      expect(ir.columns?.map((c) => c.name)).toEqual(data.columns);
      const n = data.rows.length;
      const objects = rowObjects(data);
      const encode = rowEncoder(ir.columns!);
      const encoded = data.rows.map((r) => encode(r));
      const index = Float64Array.from({ length: n }, (_, r) => r);
      const rule = ruleByIndex(defaultRule(ir), encoded);
      // the evaluator on the encoded rows
      const evalMod = {
        predictRaw: (x: ArrayLike<number>) => {
          const v = evaluatePredictRaw(ir, encoded[x[0]!]!);
          return v.length === 1 ? v[0] : v;
        },
      } as unknown as GeneratedModule;
      if (expected.raw) {
        const rep = compareWithExpected(evalMod, index, n, 1, { raw: expected.raw }, rule);
        if (!rep.ok) throw new Error(formatReport(rep, `${name} evaluator`));
      }
      for (const style of STYLES) {
        const mod = await compileToModule(ir, style);
        for (const [form, rows] of [
          ["arrays", data.rows],
          ["objects", objects],
        ] as const) {
          const label = `${name} ${style} ${form}`;
          const view = byIndex(mod, rows as unknown[]);
          const rep = compareWithExpected(view, index, n, 1, comparable(view, expected, meta, label), rule);
          if (!rep.ok) throw new Error(formatReport(rep, label));
          expect(rep.skipped, label).toEqual([]);
        }
        // batches: an array of rows and an object of columns give the single-row values, bit for bit
        const columns = Object.fromEntries(data.columns.map((c, i) => [c, data.rows.map((r) => r[i])]));
        const m = mod as unknown as Record<string, (rows: unknown, n?: number) => Float64Array>;
        for (const fn of ["predictRawBatch", "predictProbaBatch", "predictBatch"] as const) {
          if (!m[fn]) continue;
          const a = m[fn]!(data.rows);
          const b = m[fn]!(columns, n);
          expect(Array.from(b), `${name} ${style} ${fn} columns`).toEqual(Array.from(a));
          const per = a.length / n;
          for (let r = 0; r < n; r++) {
            const single =
              fn === "predictRawBatch"
                ? mod.predictRaw(data.rows[r] as never)
                : fn === "predictProbaBatch"
                  ? mod.predictProba!(data.rows[r] as never)
                  : undefined;
            if (single === undefined) continue;
            const sv = typeof single === "number" ? [single] : Array.from(single as number[]);
            for (let j = 0; j < per; j++) expect(Object.is(a[r * per + j], sv[j]), `${name} ${style} ${fn} row ${r}`).toBe(true);
          }
        }
      }
      // the evaluator transforms every fixture row without an error other than a refusal scikit-learn also makes
      for (const e of encoded) {
        try {
          evaluateOutput(ir, e);
        } catch (err) {
          if (!(err instanceof PreprocessError)) throw err;
        }
      }
    });
  }
});
