// Parity with the real libraries: every fixture (made by python/fixtures/*), every model file form,
// every style; outputs must equal the library's exactly (float32 models) — no tolerance.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import { compileToModule } from "../src/compiledModule.ts";
import { evaluateOutput, evaluatePredictRaw, evaluateScoreSamples } from "../src/ir/evaluate.ts";
import { parseTolerantJson } from "../src/io/readJson.ts";
import { parseRowsCsv } from "../src/io/readRows.ts";
import { loadModel } from "../src/loadModel.ts";
import { compareWithExpected, defaultRule, formatReport, type ExpectedOutputs, type Rule } from "../src/parity.ts";
import { assertKnownKeys, comparable, type RefusalMeta } from "./support/fixtureOutputs.ts";

const ROOT = join(import.meta.dirname, "..", "fixtures");
const dirs = existsSync(ROOT)
  ? readdirSync(ROOT)
      .filter((d) => existsSync(join(ROOT, d, "meta.json")))
      .sort()
  : [];

interface Meta extends RefusalMeta {
  library: string;
  api?: string;
  classes?: (number | string)[];
  num_iteration?: number;
  model_files?: string[];
  inf_rows?: { rows: string; expected: string };
}

function rowSets(dir: string, meta: Meta): { rows: string; expected: string }[] {
  const sets = [{ rows: "rows.csv", expected: "expected.json" }];
  if (meta.inf_rows) sets.push(meta.inf_rows);
  return sets.filter((s) => existsSync(join(dir, s.rows)) && existsSync(join(dir, s.expected)));
}

describe("fixtures from the real libraries", () => {
  it("there are fixtures to check", () => {
    expect(dirs.length).toBeGreaterThan(10);
  });

  for (const name of dirs) {
    const dir = join(ROOT, name);
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as Meta;
    const files = meta.model_files ?? ["model.json"];
    for (const modelFile of files) {
      for (const set of rowSets(dir, meta)) {
        it(`${name}/${modelFile} ${set.rows}`, async () => {
          const rows = parseRowsCsv(readFileSync(join(dir, set.rows), "utf8"), set.rows);
          const expected = parseTolerantJson(readFileSync(join(dir, set.expected), "utf8")) as ExpectedOutputs & { output?: unknown[] };
          // every output the library gave is compared below or refused, with a reason, in meta.json
          assertKnownKeys(expected, meta, `${name} ${set.rows}`);
          // XGBoost has two prediction paths that differ for DART < 3.0: DMatrix (Booster.predict:
          // raw and output in rows.csv sets) and inplace_predict (the scikit-learn wrapper's predict
          // and predict_proba, and every output of the rows-inf sets). Each key is checked exactly
          // against the model compiled for the path that produced it.
          const allInplace = set.rows !== "rows.csv";
          const groups: { path: "dmatrix" | "inplace"; keys: (keyof ExpectedOutputs | "output")[] }[] = [
            { path: allInplace ? "inplace" : "dmatrix", keys: ["raw", "output"] },
            // outlier detectors' decision_function and score_samples: the module's predictRaw and scoreSamples
            { path: "inplace", keys: ["predict", "predict_proba", "decision_function", "score_samples"] },
          ];
          for (const g of groups) {
            const ir = loadModel(join(dir, modelFile), { ...(meta.library === "xgboost" ? { predictPath: g.path } : {}), classes: meta.classes });
            const subset: ExpectedOutputs = {};
            for (const k of g.keys) if (k !== "output" && expected[k] !== undefined) subset[k] = expected[k];
            // Models trained with the core API have no wrapper `predict`: there it is the default
            // output (probabilities for classifiers), checked as `output` above.
            if (meta.api === "train" && ir.decision.kind !== "value") delete subset.predict;
            if (g.keys.includes("output") && expected.output) {
              // The evaluator's transformed output against the library's default output
              // (multi:softmax's default output is the class index, checked as `predict`).
              if (!(ir.transform === "identity" && ir.decision.kind === "argmax")) {
                for (let r = 0; r < rows.nRows; r++) {
                  const got = Array.from(evaluateOutput(ir, rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols)));
                  const exp = expected.output[r];
                  const ev = (Array.isArray(exp) ? exp : [exp]) as number[];
                  expect(got.length, `output row ${r}`).toBe(ev.length);
                  got.forEach((v, i) => expect(Object.is(v, ev[i]), `output row ${r}[${i}]: ${v} vs ${ev[i]}`).toBe(true));
                }
              }
            }
            if (meta.num_iteration !== undefined && g.keys.includes("raw")) {
              // Booster.predict(num_iteration=k): the first k iterations only
              const irK = loadModel(join(dir, modelFile), { iterationRange: [0, meta.num_iteration], classes: meta.classes });
              const e = expected as { raw_iter?: unknown[]; output_iter?: unknown[] };
              expect(e.raw_iter).toBeDefined();
              for (const style of STYLES) {
                const mod = await compileToModule(irK, style);
                const rep = compareWithExpected(mod, rows.rows, rows.nRows, rows.nCols, { raw: e.raw_iter }, defaultRule(irK));
                if (!rep.ok) throw new Error(formatReport(rep, `${name} ${style} num_iteration=${meta.num_iteration}`));
              }
              for (let r = 0; r < rows.nRows; r++) {
                const got = Array.from(evaluateOutput(irK, rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols)));
                const exp = e.output_iter![r];
                const ev = (Array.isArray(exp) ? exp : [exp]) as number[];
                got.forEach((v, i) => expect(Object.is(v, ev[i]), `output_iter row ${r}[${i}]`).toBe(true));
              }
            }
            if (g.keys.includes("decision_function") && (expected.decision_function || expected.score_samples)) {
              // outlier detectors: the evaluator's predictRaw (decision_function; the module's predict is derived from
              // it) and score_samples, under the library rule (src/parity.ts: for IsolationForest an absolute bound,
              // numpy SIMD power); the compiled modules are checked below
              expect(ir.outlier, `${name}: an outlier detector's IR says what predictRaw is`).toBeDefined();
              const fake = {
                predictRaw: (x: ArrayLike<number>) => evaluatePredictRaw(ir, x)[0]!,
                scoreSamples: (x: ArrayLike<number>) => evaluateScoreSamples(ir, x)!,
              } as unknown as Parameters<typeof compareWithExpected>[0];
              const rule: Rule = defaultRule(ir);
              const want = { decision_function: expected.decision_function, score_samples: expected.score_samples };
              const rep = compareWithExpected(fake, rows.rows, rows.nRows, rows.nCols, want, rule);
              if (!rep.ok) throw new Error(formatReport(rep, `${name} decision_function/score_samples (evaluator)`));
              expect(rep.outputs.map((o) => o.output).sort()).toEqual(["decision_function", "score_samples"]);
            }
            if (Object.keys(subset).length === 0) continue;
            for (const style of STYLES) {
              const mod = await compileToModule(ir, style);
              const label = `${name} ${style} (${g.path})`;
              const report = compareWithExpected(mod, rows.rows, rows.nRows, rows.nCols, comparable(mod, subset, meta, label), defaultRule(ir));
              if (!report.ok) throw new Error(formatReport(report, label));
              expect(report.skipped, label).toEqual([]);
              if (Object.keys(subset).some((k) => !(k in (meta.refused_outputs ?? {})))) expect(report.outputs.length).toBeGreaterThan(0);
              if (ir.outlier) {
                // the batch forms give the single-row values, bit for bit
                const raw = mod.predictRawBatch(rows.rows, rows.nRows);
                const score = mod.scoreSamplesBatch!(rows.rows, rows.nRows);
                for (let r = 0; r < rows.nRows; r++) {
                  const x = rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols);
                  expect(Object.is(raw[r], mod.predictRaw(x)), `${label} predictRawBatch row ${r}`).toBe(true);
                  expect(Object.is(score[r], mod.scoreSamples!(x)), `${label} scoreSamplesBatch row ${r}`).toBe(true);
                }
              }
            }
          }
        });
      }
    }
  }
});
