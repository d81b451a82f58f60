// diff as a library call and as the CLI: decision_function against predictRaw, "equal" only when
// bit-equal, and no "OK" before an error.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diff } from "../src/diff.ts";
import { CompileError } from "../src/errors.ts";

const ROOT = join(import.meta.dirname, "..");
const LR = join(ROOT, "fixtures", "sk19-logreg-binary");
const XGB = join(ROOT, "fixtures", "xgb3-binary-logistic");
let tmp = "";

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-diff-"));
  const b = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  expect(b.status, b.stderr).toBe(0);
});

const modelc = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "modelc.js"), ...args], { cwd: ROOT, encoding: "utf8" });

describe("diff", () => {
  it("compares scikit-learn's decision_function with predictRaw, counting bit-equal and within-rule values apart", async () => {
    const exp = JSON.parse(readFileSync(join(LR, "expected.json"), "utf8"));
    const r = await diff({ path: join(LR, "model.json") }, { rows: { path: join(LR, "rows.csv") }, expected: { decision_function: exp.raw } });
    expect(r.ok).toBe(true);
    const o = r.reports[0]!.report.outputs;
    expect(o.map((x) => x.output)).toEqual(["decision_function"]);
    expect(o[0]!.equal + o[0]!.withinRule).toBe(o[0]!.compared);
    expect(o[0]!.compared).toBe(exp.raw.length);
    // one value pushed past the rule is a mismatch
    const bad = [...exp.raw];
    bad[3] = bad[3] * (1 + 1e-9);
    const r2 = await diff({ path: join(LR, "model.json") }, { rows: { path: join(LR, "rows.csv") }, expected: { decision_function: bad } });
    expect(r2.ok).toBe(false);
    expect(r2.reports[0]!.report.worst[0]).toMatchObject({ output: "decision_function", row: 3 });
  });

  it("an exact model reports every value equal, none within rule; a tolerance reports accepted values as within rule", async () => {
    const exp = JSON.parse(readFileSync(join(XGB, "expected.json"), "utf8"));
    const rows = { path: join(XGB, "rows.csv") };
    const r = await diff({ path: join(XGB, "model.json") }, { rows, expected: { raw: exp.raw }, style: "all" });
    expect(r.reports.map((x) => x.style)).toEqual(["ifelse", "table"]);
    for (const { report } of r.reports) expect(report.outputs[0]).toMatchObject({ equal: exp.raw.length, withinRule: 0, mismatches: 0 });
    const nudged = exp.raw.map((v: number) => v + 1e-12);
    const t = await diff({ path: join(XGB, "model.json") }, { rows, expected: { raw: nudged }, tolerance: 1e-9 });
    expect(t.reports[0]!.report.outputs[0]).toMatchObject({ equal: 0, withinRule: exp.raw.length, mismatches: 0 });
    const cli = modelc(
      "diff",
      join(XGB, "model.json"),
      "--input",
      join(XGB, "rows.csv"),
      "--expected",
      writeJson("nudged.json", { raw: nudged }),
      "--tolerance",
      "1e-9",
    );
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`raw\\s+0/${exp.raw.length} equal, ${exp.raw.length} within rule`));
  });

  it("a file with only unknown keys is an error (exit 2) without any OK printed", async () => {
    const f = writeJson("unknown.json", { predictions: [1, 2] });
    const cli = modelc("diff", join(XGB, "model.json"), "--input", join(XGB, "rows.csv"), "--expected", f);
    expect(cli.status).toBe(2);
    expect(cli.stdout).toBe("");
    expect(cli.stderr.trim().split("\n")).toHaveLength(1);
    expect(cli.stderr).toMatch(/unknown\.json: nothing to compare/);
    await expect(diff({ path: join(XGB, "model.json") }, { rows: { path: join(XGB, "rows.csv") }, expected: { path: f } })).rejects.toBeInstanceOf(
      CompileError,
    );
  });

  it("takes rows as arrays with null for missing values", async () => {
    const exp = JSON.parse(readFileSync(join(XGB, "expected.json"), "utf8"));
    const lines = readFileSync(join(XGB, "rows.csv"), "utf8").trim().split("\n").slice(1);
    const rows = lines.map((l) => l.split(",").map((v) => (v === "" ? null : Number(v))));
    const r = await diff({ path: join(XGB, "model.json") }, { rows, expected: { raw: exp.raw } });
    expect(r.ok).toBe(true);
  });
});

function writeJson(name: string, v: unknown): string {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
}
