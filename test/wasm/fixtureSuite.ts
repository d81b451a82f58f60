// Parity of the WebAssembly build with the real libraries: every fixture of every importer (fixtures/*, whatever
// loadModel accepts), every model file form, both styles. Each output must equal the library's under the model's
// rule (exact unless the IR says otherwise) and the evaluator's (the JS build's) bit for bit.
// The models of one style are compiled into one .wasm (an asc run has a fixed cost of about a second); the cases
// are the same as test/fixtures.test.ts (prediction path per expected key, num_iteration, core-API models).
// One test file per style (fixtures.<style>.test.ts), so that vitest runs the two builds in parallel.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emitAsProgram } from "../../emitters/as/module.ts";
import type { Style } from "../../emitters/registry.ts";
import { metaOf } from "../../src/api/meta.ts";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseRowsCsv } from "../../src/io/readRows.ts";
import { loadModel } from "../../src/loadModel.ts";
import { compareWithExpected, defaultRule, formatReport, type ExpectedOutputs } from "../../src/parity.ts";
import { rowEncoder } from "../../src/ir/columns.ts";
import { comparable, type RefusalMeta } from "../support/fixtureOutputs.ts";
import { byIndex, readTableRows, ruleByIndex } from "../support/tableRows.ts";
import { buildWasmModels, checkAgainstEvaluator } from "./support.ts";

const ROOT = join(import.meta.dirname, "..", "..", "fixtures");
const dirs = existsSync(ROOT)
  ? readdirSync(ROOT)
      .filter((d) => existsSync(join(ROOT, d, "meta.json")))
      .sort()
  : [];

interface Meta extends RefusalMeta {
  library?: string;
  api?: string;
  classes?: (number | string)[];
  num_iteration?: number;
  model_files?: string[];
  inf_rows?: { rows: string; expected: string };
}

interface Check {
  label: string;
  ir: ModelIR;
  expected: ExpectedOutputs;
  meta: Meta;
}

interface Case {
  name: string;
  rows: number[][];
  flat: Float64Array;
  nCols: number;
  checks: Check[];
  error?: Error;
  /** table fixtures (rows.json): the rows as the module takes them (strings); `flat` holds row indices */
  table?: { rows: unknown[]; encoded: Float64Array[] };
}

function rowSets(dir: string, meta: Meta): { rows: string; expected: string }[] {
  const sets = [{ rows: "rows.csv", expected: "expected.json" }];
  if (meta.inf_rows) sets.push(meta.inf_rows);
  return sets.filter((s) => existsSync(join(dir, s.rows)) && existsSync(join(dir, s.expected)));
}

/** The cases: per fixture, model file and row set, the IRs to check and the expected outputs of each. */
function collect(): Case[] {
  const out: Case[] = [];
  for (const name of dirs) {
    const dir = join(ROOT, name);
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as Meta;
    if (existsSync(join(dir, "rows.json"))) {
      // a table model: rows with strings, as arrays in column order
      const t = readTableRows(join(dir, "rows.json"));
      const expected = parseTolerantJson(readFileSync(join(dir, "expected.json"), "utf8")) as ExpectedOutputs;
      const c: Case = { name: `${name}/model.json rows.json`, rows: [], flat: Float64Array.from(t.rows, (_, r) => r), nCols: 1, checks: [] };
      out.push(c);
      try {
        const ir = loadModel(join(dir, "model.json"), {});
        const encode = rowEncoder(ir.columns!);
        c.table = { rows: t.rows, encoded: t.rows.map((r) => encode(r)) };
        c.checks.push({ label: "table", ir, expected, meta });
      } catch (e) {
        c.error = e as Error;
      }
      continue;
    }
    for (const modelFile of meta.model_files ?? ["model.json"]) {
      for (const set of rowSets(dir, meta)) {
        const parsed = parseRowsCsv(readFileSync(join(dir, set.rows), "utf8"), set.rows);
        const rows = Array.from({ length: parsed.nRows }, (_, r) => Array.from(parsed.rows.subarray(r * parsed.nCols, (r + 1) * parsed.nCols)));
        const expected = parseTolerantJson(readFileSync(join(dir, set.expected), "utf8")) as ExpectedOutputs & {
          raw_iter?: unknown[];
        };
        const c: Case = { name: `${name}/${modelFile} ${set.rows}`, rows, flat: parsed.rows, nCols: parsed.nCols, checks: [] };
        out.push(c);
        try {
          addChecks(c, dir, modelFile, meta, set, expected);
        } catch (e) {
          c.error = e as Error; // the model does not load: this case fails (as in test/fixtures.test.ts)
        }
      }
    }
  }
  return out;
}

function addChecks(c: Case, dir: string, modelFile: string, meta: Meta, set: { rows: string }, expected: ExpectedOutputs & { raw_iter?: unknown[] }): void {
  // XGBoost DART < 3.0: raw/output from Booster.predict (DMatrix path), predict/predict_proba and every output
  // of the rows-inf sets from inplace_predict
  const allInplace = set.rows !== "rows.csv";
  const groups: { path: "dmatrix" | "inplace"; keys: (keyof ExpectedOutputs)[] }[] = [
    { path: allInplace ? "inplace" : "dmatrix", keys: ["raw"] },
    // outlier detectors' decision_function and score_samples: the module's predictRaw and scoreSamples
    { path: "inplace", keys: ["predict", "predict_proba", "decision_function", "score_samples"] },
  ];
  for (const g of groups) {
    const ir = loadModel(join(dir, modelFile), { ...(meta.library === "xgboost" ? { predictPath: g.path } : {}), classes: meta.classes });
    const subset: ExpectedOutputs = {};
    for (const k of g.keys) if (expected[k] !== undefined) subset[k] = expected[k];
    if (meta.api === "train" && ir.decision.kind !== "value") delete subset.predict;
    c.checks.push({ label: g.path, ir, expected: subset, meta });
  }
  if (meta.num_iteration !== undefined && expected.raw_iter) {
    const ir = loadModel(join(dir, modelFile), { iterationRange: [0, meta.num_iteration], classes: meta.classes });
    c.checks.push({ label: `num_iteration=${meta.num_iteration}`, ir, expected: { raw: expected.raw_iter }, meta });
  }
}

/** Distinct IRs (by their generated AssemblyScript), so each is compiled once per style. */
function keyOf(ir: ModelIR, style: Style): string {
  const p = emitAsProgram([{ ir, style, prefix: "" }], "blob", "");
  return createHash("sha256")
    .update(p.source)
    .update(p.blob)
    .update(JSON.stringify(metaOf(ir)))
    .digest("hex");
}

/** The suite for one style: every case, compiled into one module. */
export function fixtureSuite(style: Style): void {
  const CASES = collect();
  const built = new Map<ModelIR, GeneratedModule | Error>();

  describe(`fixtures through WebAssembly (${style})`, () => {
    beforeAll(async () => {
      const byKey = new Map<string, { ir: ModelIR; users: ModelIR[] }>();
      for (const c of CASES) {
        for (const { ir } of c.checks) {
          let key: string;
          try {
            key = keyOf(ir, style);
          } catch (e) {
            built.set(ir, e as Error); // e.g. a transform without a WebAssembly port: that case fails
            continue;
          }
          const hit = byKey.get(key);
          if (hit) hit.users.push(ir);
          else byKey.set(key, { ir, users: [ir] });
        }
      }
      const units = [...byKey.values()];
      const { models } = await buildWasmModels(units.map((u) => ({ ir: u.ir, style })));
      units.forEach((u, i) => {
        for (const ir of u.users) built.set(ir, models[i]!);
      });
      // one -O3 build of every fixture: about 7 MB of AssemblyScript in the ifelse style, a minute on an idle core
    }, 900_000);

    it("there are fixtures to check", () => {
      expect(CASES.length).toBeGreaterThan(10);
    });

    for (const c of CASES) {
      it(c.name, () => {
        if (c.error) throw c.error;
        for (const chk of c.checks) {
          const mod = built.get(chk.ir)!;
          if (mod instanceof Error) throw mod;
          const label = `${c.name} ${style} (${chk.label})`;
          if (c.table) {
            // rows with strings: the loader encodes them; outputs against the library under the model's rule
            const view = byIndex(mod, c.table.rows);
            const subset = comparable(view, chk.expected, chk.meta, label);
            const report = compareWithExpected(view, c.flat, c.flat.length, 1, subset, ruleByIndex(defaultRule(chk.ir), c.table.encoded));
            if (!report.ok) throw new Error(formatReport(report, label));
            expect(report.skipped, label).toEqual([]);
            continue;
          }
          checkAgainstEvaluator(chk.ir, mod, c.rows, label);
          // no silent skips: an output the library gave and the module lacks fails unless meta.json refuses it
          const subset = comparable(mod, chk.expected, chk.meta, label);
          if (Object.keys(subset).length === 0) continue;
          const report = compareWithExpected(mod, c.flat, c.rows.length, c.nCols, subset, defaultRule(chk.ir));
          if (!report.ok) throw new Error(formatReport(report, label));
          expect(report.skipped, label).toEqual([]);
          expect(report.outputs.length).toBeGreaterThan(0);
        }
      });
    }
  });
}
