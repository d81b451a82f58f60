// Hostile sizes found by fuzzing: counts that would allocate gigabytes are refused up front.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as H from "./hostileInputs.ts";
import { CompileError } from "../../src/errors.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseJsonBytes } from "../../src/io/readJsonBytes.ts";
import { loadModelFromBytes } from "../../src/loadModel.ts";

const FX = join(import.meta.dirname, "..", "..", "fixtures");
const enc = (s: string) => new TextEncoder().encode(s);

function error(bytes: Uint8Array, name: string): CompileError {
  try {
    loadModelFromBytes(bytes, name);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}

describe("hostile sizes", () => {
  it("LightGBM JSON: num_leaves 2^31", () => {
    const doc = JSON.parse(readFileSync(join(FX, "lgb4-binary", "model.json"), "utf8"));
    doc.tree_info[0].num_leaves = 2 ** 31;
    const e = error(enc(JSON.stringify(doc)), "m.json");
    expect(e.location.path).toBe("$.tree_info[0].num_leaves");
  });
  it("LightGBM JSON: num_tree_per_iteration 2^31", () => {
    const doc = JSON.parse(readFileSync(join(FX, "lgb4-binary", "model.json"), "utf8"));
    doc.num_tree_per_iteration = 2 ** 31;
    expect(error(enc(JSON.stringify(doc)), "m.json").location.path).toBe("$.num_tree_per_iteration");
  });
  it("LightGBM text: num_leaves 2^31 and num_tree_per_iteration 2^31", () => {
    const t = readFileSync(join(FX, "lgb4-binary", "model.txt"), "utf8");
    expect(error(enc(t.replace(/^num_leaves=\d+/m, "num_leaves=2147483648")), "m.txt").message).toMatch(/num_leaves must be an integer in 1\.\.131072/);
    expect(error(enc(t.replace(/^num_tree_per_iteration=\d+/m, "num_tree_per_iteration=2147483648")), "m.txt").location.line).toBeGreaterThan(1);
  });
  it("XGBoost: vector leaves times nodes beyond the limit", () => {
    const doc = JSON.parse(readFileSync(join(FX, "xgb3-multi-softprob", "model.json"), "utf8"));
    doc.learner.learner_model_param.num_class = "65536";
    doc.learner.learner_model_param.base_score = "5E-1";
    doc.learner.gradient_booster.model.trees[0].tree_param.size_leaf_vector = "65536";
    const e = error(enc(JSON.stringify(doc)), "m.json");
    expect(["E_LIMIT", "E_SHAPE"]).toContain(e.code);
  });
});

describe("declared counts and messages", () => {
  it("scikit-learn: zip bombs across arrays stop at maxModelBytes, at the array that crosses it", () => {
    const doc = JSON.parse(readFileSync(join(FX, "sk12-rf-clf-binary-arrays", "model.json"), "utf8"));
    const t = doc.estimator.attrs.estimators_[0].estimator.attrs.tree_.tree;
    const n = 2 ** 22; // 32 MiB of int64 each
    const bomb = H.zlibZeros(n * 8).toString("base64");
    t.node_count = n;
    for (const k of ["left_child", "right_child", "feature"]) Object.assign(t[k].ndarray, { shape: [n], bytes: bomb });
    Object.assign(t.value.ndarray, { shape: [n, 1, 1], bytes: bomb }); // read first
    const bytes = enc(JSON.stringify(doc));
    let e: CompileError | undefined;
    try {
      loadModelFromBytes(bytes, "m.json", { maxModelBytes: 48 * 2 ** 20 });
    } catch (x) {
      e = x as CompileError;
    }
    expect(e?.code).toBe("E_LIMIT");
    expect(e?.location.path).toBe("$.estimator.attrs.estimators_[0].estimator.attrs.tree_.tree.left_child.ndarray.bytes");
    // the option is read by every format; the file alone over it is refused too
    expect(() => loadModelFromBytes(readFileSync(join(FX, "lgb4-binary", "model.txt")), "m.txt", { maxModelBytes: 1000 })).toThrow(
      /over --max-model-bytes 1000/,
    );
  });

  it("LightGBM: num_class=65536 with one tree per iteration and a multiclass objective is refused, naming the line", () => {
    const t = readFileSync(join(FX, "lgb4-multiclass", "model.txt"), "utf8");
    const bad = t.replace(/^num_class=\d+/m, "num_class=65536").replace(/^num_tree_per_iteration=\d+/m, "num_tree_per_iteration=1");
    const e = error(enc(bad), "m.txt");
    expect(e.code).toBe("E_SHAPE");
    expect(e.message).toMatch(/grows num_class \(65536\) trees per iteration, but num_tree_per_iteration is 1/);
    expect(e.location.line).toBe(bad.split("\n").findIndex((l) => l.startsWith("num_tree_per_iteration=")) + 1);
    const doc = JSON.parse(readFileSync(join(FX, "lgb4-binary", "model.json"), "utf8"));
    doc.num_class = 3;
    expect(error(enc(JSON.stringify(doc)), "m.json").location.path).toBe("$.num_class");
  });

  it("XGBoost: num_trees 10^9 with 20 trees is refused at its path", () => {
    const doc = JSON.parse(readFileSync(join(FX, "xgb1-binary-logistic", "model.json"), "utf8"));
    doc.learner.gradient_booster.model.gbtree_model_param.num_trees = "1000000000";
    const e = error(enc(JSON.stringify(doc)), "m.json");
    expect(e.location.path).toBe("$.learner.gradient_booster.model.gbtree_model_param.num_trees");
    expect(e.message).toMatch(/num_trees is 1000000000, but the model has \d+ trees/);
  });

  it("scikit-learn: an empty estimators_ and a bad n_features_in_ are named at their path", () => {
    const doc = JSON.parse(readFileSync(join(FX, "sk12-rf-clf-binary-arrays", "model.json"), "utf8"));
    doc.estimator.attrs.estimators_ = [];
    expect(error(enc(JSON.stringify(doc)), "m.json").location.path).toBe("$.estimator.attrs.estimators_");
    const doc2 = JSON.parse(readFileSync(join(FX, "sk12-rf-clf-binary-arrays", "model.json"), "utf8"));
    doc2.estimator.attrs.n_features_in_ = 2 ** 25;
    expect(error(enc(JSON.stringify(doc2)), "m.json").location.path).toBe("$.estimator.attrs.n_features_in_");
  });

  it("UBJSON nested too deeply: one error line of at most 300 characters past the file name", () => {
    const depth = 20_000;
    const bytes = new Uint8Array(2 + 2 * depth + 2);
    bytes.set([0x7b, 0x55, 1, 0x61], 0);
    bytes.fill(0x5b, 4, 4 + depth);
    const e = error(bytes, "deep.ubj");
    expect(e.code).toBe("E_LIMIT");
    const line = e.toLine();
    expect(line.startsWith("deep.ubj: ")).toBe(true);
    expect(line.length - "deep.ubj: ".length).toBeLessThanOrEqual(300);
    expect(line).toMatch(/nesting deeper than/);
    expect(new CompileError("E_PARSE", "x".repeat(100_000), { file: "f" }, "h".repeat(1000)).toLine().length).toBeLessThanOrEqual(303);
  });

  it("JSON read as text (rows, expected outputs) and from bytes counts its values before parsing", () => {
    expect(() => parseTolerantJson("[1,2,3]", "rows.json", { maxValues: 1 })).toThrow(/more than 1 values/);
    expect(parseTolerantJson("[1,2,3]", "rows.json", { maxValues: 2 })).toEqual([1, 2, 3]);
    expect(() => parseJsonBytes(enc("[1,\n2,3]"), "m.json", { maxValues: 1 })).toThrow(/more than 1 values/);
  });

  it("a .ubj (or any file) starting with '[' and a UBJSON marker is read as UBJSON", () => {
    const typed = new Uint8Array([0x5b, 0x24, 0x69, 0x23, 0x55, 2, 1, 2]);
    for (const name of ["m.ubj", "m.json"]) {
      const e = error(typed, name);
      expect(e.message, name).not.toMatch(/JSON/);
      expect(e.message, name).toMatch(/cannot tell the model format/);
    }
    // '[' then something JSON could hold: the extension decides
    expect(error(enc("[1, 2]"), "m.ubj").message).toMatch(/unexpected marker|byte offset/);
  });
});

// Size limits on real sizes: each hostile file is written in chunks into a temporary folder, and
// `modelc inspect` runs on it in a child process (V8's fatal errors end a process, not a test). Each
// must end with exit 0 or 2 (one CompileError line), no signal, and a peak RSS under 1.5 GB.
describe("hostile sizes in a child process", () => {
  const dir = mkdtempSync(join(tmpdir(), "modelc-limits-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const CHILD = join(import.meta.dirname, "limitsChild.ts");

  function run(file: string, args: string[] = []) {
    const r = spawnSync(process.execPath, ["--max-old-space-size=1536", "--import", "tsx", CHILD, "inspect", file, ...args], {
      encoding: "utf8",
      timeout: 90_000,
    });
    rmSync(file, { force: true });
    const rssKiB = Number(/maxRSS (\d+)/.exec(r.stdout)?.[1] ?? Number.NaN);
    return { status: r.status, signal: r.signal, stderr: r.stderr.trim(), rssMB: rssKiB / 1024 };
  }

  function expectRefused(r: ReturnType<typeof run>, message: RegExp) {
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.rssMB).toBeLessThan(1536);
  }

  it("scikit-learn export whose node arrays are 2 GiB zlib bombs (16.7 MB): the array crossing the model's limit, by path", () => {
    const r = run(H.sklearnBomb(dir, 1));
    expectRefused(r, /\$\.estimator\.attrs\.estimators_\[0\]\.estimator\.attrs\.tree_\.tree\.\w+\.ndarray\.bytes: decoding this 2\.0 GiB array/);
  }, 90_000);

  it("JSON [0,0,…] of 150 M elements", () => {
    expectRefused(run(H.jsonZeros(dir, 150_000_000)), /zeros\.json:1: more than 100000000 values/);
  }, 90_000);

  it("LightGBM text: tree + 120 M blank lines", () => {
    expectRefused(run(H.lightgbmBlankLines(dir, 120_000_000)), /blank\.txt: more than 64 MiB of whitespace/);
  }, 90_000);

  it("LightGBM text: tree + 20 M lines", () => {
    expectRefused(run(H.lightgbmManyLines(dir, 20_000_000)), /lines\.txt:16777217: more than 16777216 lines/);
  }, 90_000);

  it("UBJSON typed int8 array of 150 M elements", () => {
    expectRefused(run(H.ubjsonInt8(dir, 150_000_000)), /int8\.ubj: \$\.a: container count 150000000 is over the limit of 100000000 elements/);
  }, 90_000);

  it("{ + 200 MB of whitespace fails once the run passes 64 MiB", () => {
    expectRefused(run(H.jsonWhitespace(dir, 200_000_000)), /ws\.json: more than 64 MiB of whitespace/);
  }, 90_000);
});
