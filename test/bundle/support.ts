// Shared by the bundle tests: a representative subset of the fixtures as a folder of model files,
// their rows and expected outputs, the CLI built into a private dist/, and exact output checks.

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain ES module script without types
import { buildDist } from "../../scripts/build.mjs";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseRowsCsv, type Rows } from "../../src/io/readRows.ts";
import { loadModel } from "../../src/loadModel.ts";
import { compareWithExpected, defaultRule, formatReport, type ExpectedOutputs, type Rule } from "../../src/parity.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const FIXTURES = join(ROOT, "fixtures");

/**
 * Tasks, model kinds and file forms the compiler covers: binary, multiclass (softprob/softmax),
 * regression objectives with link functions, ranking, survival, categorical splits, linear boosters,
 * DART (3.x, where both XGBoost prediction paths agree), forests, multi-target, odd feature names,
 * a deep model, older XGBoost versions, one UBJSON file, and LightGBM text and JSON models.
 */
export const SUBSET: readonly { fixture: string; file: string; name: string }[] = [
  ...[
    "xgb3-binary-logistic",
    "xgb3-multi-softprob",
    "xgb3-multi-softmax",
    "xgb3-count-poisson",
    "xgb3-reg-quantileerror",
    "xgb3-rank-ndcg",
    "xgb3-survival-cox",
    "xgb3-cat-partition",
    "xgb3-gblinear-multi",
    "xgb3-dart-binary",
    "xgb3-rf-classifier",
    "xgb3-multi-target-vector-leaf",
    "xgb3-odd-names",
    "xgb3-deep",
    "xgb2-cat-onehot",
    "xgb1-binary-logistic",
  ].map((fixture) => ({ fixture, file: "model.json", name: fixture })),
  { fixture: "xgb2-multi-softprob", file: "model.ubj", name: "xgb2-multi-softprob-ubj" },
  { fixture: "lgb4-multiclass", file: "model.txt", name: "lgb4-multiclass" },
  { fixture: "lgb4-cat-pandas", file: "model.json", name: "lgb4-cat-pandas" },
  // outlier detectors: predictRaw is decision_function, and scoreSamples (score_samples) is typed and checked
  { fixture: "sk19-isolation-forest", file: "model.json", name: "sk19-isolation-forest" },
  { fixture: "sk19-one-class-svm", file: "model.json", name: "sk19-one-class-svm" },
];

/**
 * A few small models for wasm bundles (every model is an AssemblyScript -O3 build of a few seconds): XGBoost
 * float32 with a sigmoid, multiclass softprob, odd feature names, a LightGBM text model (float64), and a
 * scikit-learn kernel SVC with string labels, a OneClassSVM (scoreSamples). One file is named `<name>@<version>`.
 */
export const WASM_SUBSET: readonly { fixture: string; file: string; name: string }[] = [
  { fixture: "xgb3-binary-logistic", file: "model.json", name: "xgb3-binary-logistic@2" },
  { fixture: "xgb3-multi-softprob", file: "model.json", name: "xgb3-multi-softprob" },
  { fixture: "xgb3-odd-names", file: "model.json", name: "xgb3-odd-names" },
  { fixture: "lgb4-multiclass", file: "model.txt", name: "lgb4-multiclass" },
  { fixture: "sk19-svc-string-labels", file: "model.json", name: "sk19-svc-string-labels" },
  { fixture: "sk19-one-class-svm", file: "model.json", name: "sk19-one-class-svm" },
];

/** Copies the subset into `dir` as <name>.json / <name>.ubj; returns dir. */
export function modelFolder(dir: string, subset = SUBSET): string {
  mkdirSync(dir, { recursive: true });
  for (const s of subset) copyFileSync(join(FIXTURES, s.fixture, s.file), join(dir, s.name + s.file.slice(s.file.lastIndexOf("."))));
  return dir;
}

export interface FixtureData {
  rows: Rows;
  expected: ExpectedOutputs;
  rule: Rule;
}

export function fixtureData(fixture: string, file = "model.json"): FixtureData {
  const dir = join(FIXTURES, fixture);
  const rows = parseRowsCsv(readFileSync(join(dir, "rows.csv"), "utf8"), "rows.csv");
  const doc = parseTolerantJson(readFileSync(join(dir, "expected.json"), "utf8")) as ExpectedOutputs;
  const expected: ExpectedOutputs = {};
  for (const k of ["predict", "predict_proba", "raw", "decision_function", "score_samples"] as const) if (doc[k] !== undefined) expected[k] = doc[k];
  // the fixtures test's rule: exact where the library computes in float32
  return { rows, expected, rule: defaultRule(loadModel(join(dir, file))) };
}

/** Throws with the parity report unless the module reproduces the fixture's outputs. */
export function expectParity(mod: GeneratedModule, fixture: string, file: string, title: string): number {
  const { rows, expected, rule } = fixtureData(fixture, file);
  const rep = compareWithExpected(mod, rows.rows, rows.nRows, rows.nCols, expected, rule);
  if (!rep.ok || rep.outputs.length === 0) throw new Error(formatReport(rep, title));
  return rep.outputs.reduce((s, o) => s + o.compared, 0);
}

/** The CLI built into a private folder inside the package (so it finds src/runtime), once per test file. */
export async function buildPrivateDist(name: string): Promise<string> {
  const dir = join(ROOT, ".cache", `test-dist-${name}-${process.pid}`);
  await buildDist(dir);
  return join(dir, "cli.js");
}

export function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Outputs crossing a boundary that does not keep -0, NaN or Infinity (JSON, the browser): each
// number as the hex of its float64 bits.
export type Encoded = string | { s: string } | Encoded[];

export function decode(v: Encoded): number | string | number[] {
  if (typeof v === "string") return bitsToNumber(v);
  if (Array.isArray(v)) return v.map((x) => decode(x) as number);
  return v.s;
}

function bitsToNumber(hex: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt("0x" + hex));
  return dv.getFloat64(0);
}

/** A module that answers each function's calls, in row order, with recorded outputs. */
export function replayModule(out: { predict: Encoded[]; proba?: Encoded[]; raw: Encoded[]; score?: Encoded[] }): GeneratedModule {
  const player = (list: Encoded[]) => {
    let i = 0;
    return () => {
      const v = decode(list[i++]!);
      return v;
    };
  };
  return {
    meta: { name: "replay", task: "", nFeatures: 0, nOutputs: 0 },
    predict: player(out.predict) as GeneratedModule["predict"],
    predictRaw: player(out.raw) as GeneratedModule["predictRaw"],
    predictProba: out.proba ? (player(out.proba) as GeneratedModule["predictProba"]) : undefined,
    // outlier detectors: scoreSamples (and predictRaw is then compared with decision_function)
    scoreSamples: out.score ? (player(out.score) as GeneratedModule["scoreSamples"]) : undefined,
    predictBatch: () => new Float64Array(),
    predictRawBatch: () => new Float64Array(),
  };
}
