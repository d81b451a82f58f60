// The scikit-learn importer's refusals and errors (one CompileError each, with a JSON path), and the
// Python exporter's command line when its pinned venv exists (python/venv.sh sk-new).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importSklearn } from "../src/importers/sklearn/importSklearn.ts";
import { parseTolerantJson } from "../src/io/readJson.ts";
import { loadModel } from "../src/loadModel.ts";
import { libsvmProba } from "../src/runtime/libsvmProba.ts";
import { compileErrorOf } from "./support/compileError.ts";

const ROOT = join(import.meta.dirname, "..");
const FIX = join(ROOT, "fixtures");
const doc = (name: string) => parseTolerantJson(readFileSync(join(FIX, name, "model.json"), "utf8")) as Record<string, any>;

const errorOf = compileErrorOf;

describe("scikit-learn importer", () => {
  it("detects modelc_export JSON by content", () => {
    const ir = loadModel(join(FIX, "sk19-gb-clf-binary", "model.json"));
    expect(ir.source.library).toBe("scikit-learn");
    expect(ir.source.format).toBe("modelc-sklearn");
    expect(ir.parity ?? "exact").toBe("exact");
  });

  it("refuses a format version from the future", () => {
    const d = doc("sk19-dt-clf-iris");
    d["format_version"] = 99;
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.toLine()).toContain("$.format_version");
  });

  it("refuses an unsupported estimator by name", () => {
    const d = doc("sk19-dt-clf-iris");
    d["estimator"]["class"] = "RadiusNeighborsClassifier";
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.message).toContain("RadiusNeighborsClassifier");
  });

  it("compiles multi-output classifiers, and refuses string labels there", () => {
    const ir = loadModel(join(FIX, "sk19-rf-clf-multioutput", "model.json"));
    expect(ir.decision.kind).toBe("argmaxGroups");
    expect(ir.outputClasses).toEqual([
      [0, 1],
      [10, 11, 12],
    ]);
    const d = doc("sk19-dt-clf-multioutput");
    d["estimator"]["attrs"]["classes_"][1]["ndarray"]["data"][0] = "a";
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.toLine()).toContain("$.estimator.attrs.classes_[1]");
  });

  it("refuses a GradientBoosting init other than a Dummy estimator or zero, naming its class, and a random one", () => {
    const d = doc("sk19-gb-reg-squared");
    d["estimator"]["attrs"]["init_"]["estimator"]["class"] = "LinearRegression";
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.toLine()).toMatch(/LinearRegression: is not supported as a GradientBoostingRegressor init/);
    expect(e.toLine()).toContain("$.estimator.attrs.init_");
    expect(e.toLine().split("\n")).toHaveLength(1);
    const c = doc("sk19-gb-clf-binary");
    const init = c["estimator"]["attrs"]["init_"]["estimator"];
    init["attrs"]["_strategy"] = "stratified";
    const s = errorOf(() => importSklearn(c));
    expect(s.code).toBe("E_UNSUPPORTED");
    expect(s.toLine()).toMatch(/DummyClassifier: strategy "stratified" is not supported as an init/);
  });

  it("compiles a Pipeline's preprocessing into the model, and refuses an unknown step by name", () => {
    const ir = loadModel(join(FIX, "sk19-pipe-column-transformer", "model.json"));
    expect(ir.nFeatures).toBe(7);
    expect(ir.preprocess?.output.length).toBe(7);
    const d = doc("sk19-pipe-minmax-clip-tree");
    d["estimator"]["attrs"]["steps"][0][1]["estimator"]["class"] = "QuantileTransformer";
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.message).toContain("QuantileTransformer");
    expect(e.toLine()).toContain("$.estimator.attrs.steps[0][1].estimator.class");
  });

  it("compiles SVMs as kernel models, and refuses a precomputed kernel by name", () => {
    const ir = loadModel(join(FIX, "sk19-svc-rbf-ovr", "model.json"));
    expect(ir.model.kind).toBe("kernel");
    expect(ir.decision.kind).toBe("vote");
    const d = doc("sk19-svc-rbf-ovr");
    d["estimator"]["params"]["kernel"] = "precomputed";
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.message).toContain("precomputed");
  });

  it("rejects unknown fields unless lenient, and wrong shapes with expected/got", () => {
    const d = doc("sk19-dt-clf-iris");
    d["extra"] = 1;
    const e = errorOf(() => importSklearn(d));
    expect(e.code).toBe("E_SCHEMA");
    expect(importSklearn(d, { lenient: true }).nFeatures).toBe(4);
    const d2 = doc("sk19-dt-clf-iris");
    d2["estimator"]["attrs"]["tree_"]["tree"]["left_child"]["ndarray"]["data"].pop();
    const e2 = errorOf(() => importSklearn(d2));
    expect(e2.message).toMatch(/expected \d+ values/);
    expect(e2.toLine()).toContain("left_child");
  });
});

describe("SVC probability=True (libsvm predict_probability)", () => {
  // The compiled probabilities differ from the library's only through the pair decisions (BLAS dot products, the
  // kernel's parity rule). On the library's own decisions (ovo raw scores; binary: -raw), modelc's Platt sigmoid and
  // pairwise coupling give the library's probabilities bit for bit.
  const dirs = readdirSync(FIX).filter((d) => /^sk1\d-(svc|nusvc)-proba/.test(d));
  it("there are probability fixtures with pair decisions", () => {
    expect(dirs.filter((d) => d.endsWith("-binary") || d.endsWith("-digits")).length).toBeGreaterThanOrEqual(4);
  });
  for (const d of dirs) {
    it(`${d}: coupling on the library's decisions is exact`, () => {
      const ir = loadModel(join(FIX, d, "model.json"));
      const m = ir.model;
      if (m.kind !== "kernel" || ir.proba.kind !== "libsvm") throw new Error(`${d}: expected libsvm probabilities`);
      if (m.rawShape !== "pairs" && m.rawShape !== "negate") return; // ovr raw scores do not give the decisions back
      const exp = parseTolerantJson(readFileSync(join(FIX, d, "expected.json"), "utf8")) as { raw: (number | number[])[]; predict_proba: number[][] };
      const K = m.counts.length;
      exp.raw.forEach((raw, r) => {
        const dec = m.rawShape === "negate" ? [-(raw as number)] : (raw as number[]);
        const got = new Float64Array(K);
        libsvmProba(dec, ir.proba.kind === "libsvm" ? ir.proba.probA : [], ir.proba.kind === "libsvm" ? ir.proba.probB : [], K, got, 0);
        got.forEach((v, k) => expect(Object.is(v, exp.predict_proba[r]![k]), `${d} row ${r}[${k}]: ${v} vs ${exp.predict_proba[r]![k]}`).toBe(true));
      });
    });
  }
});

describe("modelc CLI on scikit-learn files", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "index.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
  it("a truncated file and an exporter version from the future: one line, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "modelc-sk-cli-"));
    const text = readFileSync(join(FIX, "sk19-gb-clf-binary", "model.json"), "utf8");
    writeFileSync(join(dir, "trunc.json"), text.slice(0, Math.floor(text.length / 2)));
    writeFileSync(join(dir, "future.json"), text.replace('"format_version":1', '"format_version":7'));
    for (const [file, what] of [
      ["trunc.json", "unterminated|unexpected|end of"],
      ["future.json", "format version 7"],
    ] as const) {
      const r = cli("compile", join(dir, file), "-o", join(dir, "x.js"));
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(what));
    }
  }, 60_000);
});

const PY = join(ROOT, ".venv", "sk-new", "bin", "python");
describe.skipIf(!existsSync(PY))("python -m modelc_export", () => {
  const env = { ...process.env, PYTHONPATH: join(ROOT, "python") };
  it("exports a pickle, and refuses an unsupported estimator with one line and exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "modelc-sk-"));
    const script = [
      "import pickle, numpy as np",
      "from sklearn.tree import DecisionTreeRegressor",
      "from sklearn.neighbors import RadiusNeighborsRegressor",
      "X = np.arange(40.0).reshape(20, 2); y = X[:, 0] * 2",
      `pickle.dump(DecisionTreeRegressor(random_state=0).fit(X, y), open(${JSON.stringify(join(dir, "ok.pkl"))}, "wb"))`,
      `pickle.dump(RadiusNeighborsRegressor(radius=3.0).fit(X, y), open(${JSON.stringify(join(dir, "knn.pkl"))}, "wb"))`,
    ].join("\n");
    expect(spawnSync(PY, ["-c", script], { env }).status).toBe(0);
    const ok = spawnSync(PY, ["-m", "modelc_export", join(dir, "ok.pkl"), "-o", join(dir, "ok.json")], { env, encoding: "utf8" });
    expect(ok.status, ok.stderr).toBe(0);
    expect(loadModel(join(dir, "ok.json")).nFeatures).toBe(2);
    const bad = spawnSync(PY, ["-m", "modelc_export", join(dir, "knn.pkl"), "-o", join(dir, "knn.json")], { env, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("RadiusNeighborsRegressor");
    writeFileSync(join(dir, "rows.csv"), "f0,f1\n1.5,3\n,2\n");
    const ref = spawnSync(PY, ["-m", "modelc_export.reference", join(dir, "ok.pkl"), "--input", join(dir, "rows.csv"), "-o", join(dir, "exp.json")], {
      env,
      encoding: "utf8",
    });
    expect(ref.status, ref.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, "exp.json"), "utf8")) as { predict: number[] }).predict).toHaveLength(2);
  }, 60_000);
});
