// The CLI as a user runs it: compile, diff, inspect, and one-line errors with exit codes.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "modelc.js");
const FX = join(ROOT, "fixtures", "xgb3-multi-softprob");
let tmp = "";

function modelc(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function oneLineError(r: { code: number | null; err: string }, code = 2): string {
  expect(r.code).toBe(code);
  const lines = r.err.trimEnd().split("\n");
  expect(lines.length, r.err).toBe(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-cli-"));
  const b = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  expect(b.status, b.stderr).toBe(0);
});

describe("modelc compile", () => {
  it("writes an ES module that predicts like the library", async () => {
    const out = join(tmp, "m.mjs");
    const r = modelc("compile", join(FX, "model.json"), "-o", out, "--name", "softprob");
    expect(r.code, r.err).toBe(0);
    const mod = await import(pathToFileURL(out).href);
    expect(mod.meta.name).toBe("softprob");
    const expected = JSON.parse(readFileSync(join(FX, "expected.json"), "utf8"));
    const row = readFileSync(join(FX, "rows.csv"), "utf8")
      .split("\n")[1]!
      .split(",")
      .map((v) => (v === "" ? NaN : Number(v)));
    expect(Array.from(mod.predictProba(row))).toEqual(expected.predict_proba[0]);
    expect(mod.predict(row)).toBe(expected.predict[0]);
    expect(() => mod.predict([1, 2])).toThrow(/expected a row of \d+ features, got 2/);
    // the module imports nothing
    expect(readFileSync(out, "utf8")).not.toMatch(/^\s*import\s/m);
  });

  it("writes TypeScript that type-checks under strict mode", () => {
    const out = join(tmp, "typed", "model.ts");
    for (const style of ["ifelse", "table"]) {
      const r = modelc("compile", join(ROOT, "fixtures", "xgb3-cat-partition", "model.json"), "-o", out.replace(".ts", `-${style}.ts`), "--style", style);
      expect(r.code, r.err).toBe(0);
    }
    // one model per IR feature family: linear, LightGBM linear leaves and missing modes, sklearn
    // preprocessing, kernels, multi-output classes, softmax, iforest
    const more = [
      "xgb3-gblinear-multi/model.json",
      "lgb4-linear-tree/model.txt",
      "lgb4-zero-as-missing/model.txt",
      "lgb4-rf/model.txt",
      "sk19-pipe-column-transformer/model.json",
      "sk19-svc-rbf-ovr/model.json",
      "sk19-rf-clf-multioutput/model.json",
      "sk19-hgb-clf-multiclass/model.json",
      "sk19-isolation-forest/model.json",
      "sk19-rf-clf-string-labels/model.json",
    ];
    more.forEach((m, i) => {
      for (const style of ["ifelse", "table"]) {
        const r2 = modelc("compile", join(ROOT, "fixtures", m), "-o", join(tmp, "typed", `m${i}-${style}.ts`), "--style", style);
        expect(r2.code, `${m}: ${r2.err}`).toBe(0);
      }
    });
    writeFileSync(
      join(tmp, "typed", "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ESNext", noUncheckedIndexedAccess: true, lib: ["ES2022"], types: [] },
        include: ["*.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(tmp, "typed")], { encoding: "utf8" });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  });

  it("--dump-ir prints the IR", () => {
    const r = modelc("compile", join(FX, "model.json"), "-o", join(tmp, "x.js"), "--dump-ir");
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.out);
    expect(ir.model.kind).toBe("trees");
    expect(ir.transform).toBe("xgb.softmax");
  });

  it("refuses a missing file, a directory, a bad extension, and output = input", () => {
    expect(oneLineError(modelc("compile", "nope.json", "-o", join(tmp, "a.js")))).toMatch(/nope\.json: no such file/);
    expect(oneLineError(modelc("compile", FX, "-o", join(tmp, "a.js")))).toMatch(/is a directory/);
    expect(oneLineError(modelc("compile", join(FX, "model.json"), "-o", join(tmp, "a.py")))).toMatch(
      /cannot tell the output kind from "\.py" \(use \.ts, \.js/,
    );
    const copy = join(tmp, "same.js");
    writeFileSync(copy, readFileSync(join(FX, "model.json")));
    expect(oneLineError(modelc("compile", copy, "-o", copy))).toMatch(/output path is the input file/);
  });

  it("an output path that cannot be written is one line, exit 2", () => {
    const blocker = join(tmp, "blocker.txt");
    writeFileSync(blocker, "x");
    expect(oneLineError(modelc("compile", join(FX, "model.json"), "-o", join(blocker, "sub", "m.js")))).toMatch(/cannot write output/);
  });

  it("names the file and line of malformed JSON, and leaves no partial output", () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, '{\n  "learner": {\n    "x": [1, 2,,]\n  }\n}\n');
    const out = join(tmp, "never.js");
    const line = oneLineError(modelc("compile", bad, "-o", out));
    expect(line).toMatch(/bad\.json:3:/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).some((f) => f.includes(".tmp-"))).toBe(false);
  });

  it("names the JSON path of a schema error", () => {
    const doc = JSON.parse(readFileSync(join(FX, "model.json"), "utf8"));
    doc.learner.gradient_booster.model.trees[2].split_indices[0] = "zero";
    const bad = join(tmp, "schema.json");
    writeFileSync(bad, JSON.stringify(doc));
    const line = oneLineError(modelc("compile", bad, "-o", join(tmp, "s.js")));
    expect(line).toContain("schema.json: $.learner.gradient_booster.model.trees[2].split_indices[0]: expected integers");
  });

  it("refuses an unsupported objective by name", () => {
    const doc = JSON.parse(readFileSync(join(FX, "model.json"), "utf8"));
    doc.learner.objective.name = "reg:expectileerror";
    const bad = join(tmp, "obj.json");
    writeFileSync(bad, JSON.stringify(doc));
    expect(oneLineError(modelc("compile", bad, "-o", join(tmp, "o.js")))).toMatch(
      /\$\.learner\.objective\.name: objective "reg:expectileerror" is not supported/,
    );
  });

  it("refuses unknown fields unless --lenient", () => {
    const doc = JSON.parse(readFileSync(join(FX, "model.json"), "utf8"));
    doc.learner.gradient_booster.model.trees[0].surprise = 1;
    const bad = join(tmp, "extra.json");
    writeFileSync(bad, JSON.stringify(doc));
    expect(oneLineError(modelc("compile", bad, "-o", join(tmp, "e.js")))).toMatch(/trees\[0\]: unknown field "surprise" \(pass --lenient/);
    expect(modelc("compile", bad, "-o", join(tmp, "e.js"), "--lenient").code).toBe(0);
  });

  it("rejects a file that is no model", () => {
    const f = join(tmp, "notes.txt");
    writeFileSync(f, "hello\n");
    expect(oneLineError(modelc("compile", f, "-o", join(tmp, "n.js")))).toMatch(/cannot tell the model format/);
  });
});

describe("modelc diff", () => {
  it("passes on the library's outputs", () => {
    const r = modelc("diff", join(FX, "model.json"), "--input", join(FX, "rows.csv"), "--expected", join(FX, "expected.json"), "--style", "all");
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/predict_proba\s+\d+\/\d+ equal/);
  });

  it("exits 1 and shows the worst rows on a mismatch", () => {
    const exp = JSON.parse(readFileSync(join(FX, "expected.json"), "utf8"));
    exp.predict_proba[3][1] = exp.predict_proba[3][1] + 1e-7;
    const f = join(tmp, "tampered.json");
    writeFileSync(f, JSON.stringify(exp));
    const r = modelc("diff", join(FX, "model.json"), "--input", join(FX, "rows.csv"), "--expected", f);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/row 3 predict_proba\[1\]/);
    expect(r.out).toMatch(/MISMATCH/);
    // a user's tolerance accepts it
    expect(modelc("diff", join(FX, "model.json"), "--input", join(FX, "rows.csv"), "--expected", f, "--tolerance", "1e-6").code).toBe(0);
  });

  it("compares an outlier detector's decision_function and score_samples (predictRaw, scoreSamples)", () => {
    for (const fx of ["sk19-isolation-forest", "sk19-one-class-svm"]) {
      const dir = join(ROOT, "fixtures", fx);
      const r = modelc("diff", join(dir, "model.json"), "--input", join(dir, "rows.csv"), "--expected", join(dir, "expected.json"), "--style", "all");
      expect(r.code, r.out + r.err).toBe(0);
      // "equal" counts bit-equal values only; the rest must be within the model's rule, none differ
      for (const key of ["decision_function", "score_samples"]) {
        const m = new RegExp(`${key}\\s+(\\d+)/(\\d+) equal(?:, (\\d+) within rule)?\n`).exec(r.out);
        expect(m, r.out).not.toBeNull();
        expect(Number(m![1]) + Number(m![3] ?? 0)).toBe(Number(m![2]));
      }
      expect(r.out).not.toMatch(/differ/);
      expect(r.out).not.toMatch(/not checked/);
      const exp = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
      exp.score_samples[2] += 1e-9;
      const f = join(tmp, `${fx}-tampered.json`);
      writeFileSync(f, JSON.stringify(exp));
      const bad = modelc("diff", join(dir, "model.json"), "--input", join(dir, "rows.csv"), "--expected", f);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/row 2 score_samples\[0\]/);
    }
    const j = JSON.parse(modelc("inspect", join(ROOT, "fixtures", "sk19-one-class-svm", "model.json"), "--json").out);
    expect(j.available).toEqual(["predict", "predictRaw", "scoreSamples"]);
  });

  it("reports rows of the wrong width as bad input", () => {
    const f = join(tmp, "narrow.csv");
    writeFileSync(f, "a,b\n1,2\n");
    expect(oneLineError(modelc("diff", join(FX, "model.json"), "--input", f, "--expected", join(FX, "expected.json")))).toMatch(
      /narrow\.csv:1: rows have 2 columns/,
    );
  });
});

describe("modelc inspect", () => {
  it("describes the model", () => {
    const r = modelc("inspect", join(FX, "model.json"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/xgboost 3\.\d+\.\d+/);
    expect(r.out).toMatch(/multi:softprob/);
    expect(r.out).toMatch(/trees\s+\d+, \d+ nodes, \d+ leaves, max depth \d+/);
    const j = JSON.parse(modelc("inspect", join(FX, "model.json"), "--json").out);
    expect(j.task).toBe("multiclass");
    expect(j.available).toEqual(["predict", "predictProba", "predictRaw"]);
  });

  it("unknown options are usage errors (exit 2)", () => {
    const r = modelc("inspect", join(FX, "model.json"), "--frobnicate");
    expect(r.code).toBe(2);
  });
});
