// LightGBM specifics: the text and JSON forms of a model give the same IR, and malformed text
// models get one-line errors that name the line.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CompileError } from "../../src/errors.ts";
import { dumpIr } from "../../src/ir/dump.ts";
import { loadModel } from "../../src/loadModel.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures");
const lgb = existsSync(FIXTURES)
  ? readdirSync(FIXTURES).filter((d) => d.startsWith("lgb") && existsSync(join(FIXTURES, d, "model.txt")) && existsSync(join(FIXTURES, d, "model.json")))
  : [];

function sameIr(a: string, b: string): void {
  const norm = (f: string) => {
    const ir = loadModel(f, { name: "m" });
    return dumpIr({ ...ir, source: { ...ir.source, format: "-" } });
  };
  expect(norm(a) === norm(b)).toBe(true);
}

describe("LightGBM text and JSON dump", () => {
  it("there are LightGBM fixtures with both forms", () => {
    expect(lgb.length).toBeGreaterThan(10);
  });
  for (const d of lgb) {
    it(`${d}: model.txt and model.json give identical IR`, () => {
      sameIr(join(FIXTURES, d, "model.txt"), join(FIXTURES, d, "model.json"));
    });
  }
});

describe("malformed LightGBM text models", () => {
  const base = lgb.find((d) => d.includes("binary")) ?? lgb[0]!;
  const text = () => readFileSync(join(FIXTURES, base, "model.txt"), "utf8");
  const tmp = mkdtempSync(join(tmpdir(), "modelc-lgb-"));
  const err = (content: string): CompileError => {
    const f = join(tmp, `m${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(f, content);
    try {
      loadModel(f);
    } catch (e) {
      if (e instanceof CompileError) return e;
      throw e;
    }
    throw new Error("expected an error");
  };

  it("a missing Tree= block", () => {
    const t = text();
    const start = t.indexOf("Tree=1\n");
    const end = t.indexOf("Tree=2\n");
    expect(start).toBeGreaterThan(0);
    const e = err(t.slice(0, start) + t.slice(end));
    expect(e.message).toMatch(/expected Tree=1, got Tree=2/);
    expect(e.location.line).toBeGreaterThan(1);
    expect(e.toLine()).toMatch(/\.txt:\d+: /);
  });

  it("inconsistent array lengths", () => {
    const t = text().replace(/^(left_child=\S+) \S+/m, "$1");
    const e2 = err(t);
    expect(e2.message).toMatch(/expected \d+ left_child values, got \d+/);
    const lines = t.split("\n");
    expect(lines[e2.location.line! - 1]).toMatch(/^left_child=/);
  });

  it("a truncated file", () => {
    const t = text();
    const e = err(t.slice(0, t.indexOf("end of trees") - 5));
    expect(e.message).toMatch(/expected "end of trees"|expected \d+ .* values/);
  });

  it("a bad bitset", () => {
    const cat = lgb.find((d) => readFileSync(join(FIXTURES, d, "model.txt"), "utf8").includes("cat_boundaries="));
    expect(cat).toBeDefined();
    const t = readFileSync(join(FIXTURES, cat!, "model.txt"), "utf8").replace(/^cat_boundaries=(.*)$/m, (_m, v: string) => {
      const parts = v.trim().split(/\s+/);
      parts[parts.length - 1] = "999999";
      return `cat_boundaries=${parts.join(" ")}`;
    });
    expect(err(t).message).toMatch(/bad bitset bounds|bitset/);
  });

  it("a number that is not a number", () => {
    const e = err(text().replace(/^(threshold=)\S+/m, "$1abc"));
    expect(e.message).toMatch(/threshold\[0\] is not a number: "abc"/);
  });
});

describe("LightGBM text: names keep non-ASCII whitespace", () => {
  it("splits feature_names on ASCII whitespace only, as LightGBM does (U+2028, U+00A0 stay inside a name)", () => {
    const base = lgb.find((d) => d.includes("binary")) ?? lgb[0]!;
    const text = readFileSync(join(FIXTURES, base, "model.txt"), "utf8");
    const m = /^feature_names=(.*)$/m.exec(text)!;
    const names = m[1]!.split(" ");
    const odd = names.map((n, i) => (i === 0 ? `${n}\u2028x` : i === 1 ? `\u00a0${n}` : n));
    const tmp = mkdtempSync(join(tmpdir(), "modelc-lgb-names-"));
    const f = join(tmp, "m.txt");
    writeFileSync(f, text.replace(m[0], `feature_names=${odd.join(" ")}`).replace(/^objective=(.*)$/m, "objective=$1\u2028"));
    const ir = loadModel(f);
    expect(ir.featureNames).toEqual(odd);
    expect(ir.source.objective?.endsWith("\u2028")).toBe(true);
  });
});
