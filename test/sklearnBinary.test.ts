// modelc_export format version 2, binary arrays (python/modelc_export/FORMAT.md): the same estimator
// written with lists and with raw bytes (zlib or not) gives the same IR, from an independent encoder
// here and from the real exporter (both pinned venvs when present); damaged arrays give one line
// with the file and the JSON path.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { importSklearn } from "../src/importers/sklearn/importSklearn.ts";
import { parseTolerantJson } from "../src/io/readJson.ts";
import { loadModel, loadModelFromBytes } from "../src/loadModel.ts";
import { compileErrorOf } from "./support/compileError.ts";

const ROOT = join(import.meta.dirname, "..");
const FIX = join(ROOT, "fixtures");
type Json = Record<string, any>;
const doc = (name: string) => parseTolerantJson(readFileSync(join(FIX, name, "model.json"), "utf8")) as Json;

const errorOf = compileErrorOf;

/** Raw little-endian bytes of a list-form ndarray, written independently of the exporter. */
function rawBytes(dtype: string, data: unknown[]): Uint8Array {
  const nums = data as number[];
  const view = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  switch (dtype) {
    case "bool":
      return Uint8Array.from(data as boolean[], (b) => (b ? 1 : 0));
    case "int8":
      return view(Int8Array.from(nums));
    case "uint8":
      return view(Uint8Array.from(nums));
    case "int16":
      return view(Int16Array.from(nums));
    case "uint16":
      return view(Uint16Array.from(nums));
    case "int32":
      return view(Int32Array.from(nums));
    case "uint32":
      return view(Uint32Array.from(nums));
    case "int64":
      return view(BigInt64Array.from(nums, (x) => BigInt(x)));
    case "uint64":
      return view(BigUint64Array.from(nums, (x) => BigInt(x)));
    case "float32":
      return view(Float32Array.from(nums));
    case "float64":
      return view(Float64Array.from(nums));
  }
  throw new Error(dtype);
}

/** Every numeric list-form ndarray of a v1 document rewritten as a binary array (format version 2). */
function toBinary(d: Json, zlib: (i: number) => boolean): { doc: Json; count: number } {
  let count = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const o = v as Json;
    const nd = o["ndarray"];
    if (nd && Array.isArray(nd.data) && /^(bool|u?int(8|16|32|64)|float(32|64))$/.test(nd.dtype)) {
      const raw = rawBytes(nd.dtype, nd.data);
      const z = zlib(count++);
      const bytes = Buffer.from(z ? deflateSync(raw) : raw).toString("base64");
      return { ndarray: { dtype: nd.dtype, shape: nd.shape, encoding: z ? "zlib-base64" : "base64", bytes } };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  const out = walk(d) as Json;
  out["format_version"] = 2;
  return { doc: out, count };
}

describe("binary arrays (format version 2)", () => {
  const v1Cases = [
    "sk19-rf-clf-cancer",
    "sk12-rf-clf-multioutput",
    "sk19-isolation-forest",
    "sk19-hgb-clf-categorical",
    "sk19-gb-clf-multiclass",
    "sk19-dt-clf-weighted",
    "sk12-dt-clf-weighted",
    "sk12-rf-clf-string-labels",
  ];
  for (const name of v1Cases) {
    it(`${name}: lists and raw bytes give the same IR`, () => {
      if (!existsSync(join(FIX, name))) return;
      const v1 = doc(name);
      expect(v1["format_version"]).toBe(1);
      const want = importSklearn(v1);
      const { doc: v2, count } = toBinary(v1, (i) => i % 2 === 0);
      expect(count).toBeGreaterThan(3);
      const text = JSON.stringify(v2);
      expect(text).not.toMatch(/"data":\[[-\d.tf]/);
      expect(loadModelFromBytes(new TextEncoder().encode(text), "m.json")).toEqual({ ...want, name: "m" });
    });
  }

  it("64-bit integers beyond 2^53 read as the nearest double, as their decimal text would", () => {
    for (const [dtype, labels] of [
      ["int64", ["9007199254740993", "-9223372036854775808", "-9007199254740995"]],
      ["uint64", ["18446744073709551615", "9007199254740993", "4294967296"]],
    ] as const) {
      const d = doc("sk19-dt-clf-weighted");
      d["format_version"] = 2;
      const arr = dtype === "int64" ? new BigInt64Array(labels.map((s) => BigInt(s))) : new BigUint64Array(labels.map((s) => BigInt(s)));
      const bytes = Buffer.from(arr.buffer).toString("base64");
      d["estimator"]["attrs"]["classes_"] = { ndarray: { dtype, shape: [3], encoding: "base64", bytes } };
      expect(importSklearn(d).classes).toEqual(labels.map((s) => Number(s)));
      expect(importSklearn(d).classes).toEqual(labels.map((s) => JSON.parse(s)));
    }
  });

  const file = "bad.json";
  const rf = () => doc("sk19-rf-clf-binary-arrays");
  const firstTree = (d: Json) => d["estimator"]["attrs"]["estimators_"][0]["estimator"]["attrs"]["tree_"]["tree"];
  const at = "$.estimator.attrs.estimators_[0].estimator.attrs.tree_.tree";
  const load = (d: Json) => errorOf(() => loadModelFromBytes(new TextEncoder().encode(JSON.stringify(d)), file));
  const damaged: [string, (t: Json) => void, string, RegExp][] = [
    [
      "a character outside base64",
      (t) => (t.threshold.ndarray.bytes = "!" + t.threshold.ndarray.bytes.slice(1)),
      `${at}.threshold.ndarray.bytes`,
      /malformed base64/,
    ],
    [
      "a truncated base64 text",
      (t) => (t.threshold.ndarray.bytes = t.threshold.ndarray.bytes.slice(0, -3)),
      `${at}.threshold.ndarray.bytes`,
      /malformed base64/,
    ],
    [
      "zlib data that is not",
      (t) => (t.feature.ndarray.bytes = Buffer.from("not zlib at all!").toString("base64")),
      `${at}.feature.ndarray.bytes`,
      /bad zlib data/,
    ],
    [
      "a shape that does not match the bytes",
      (t) => (t.left_child.ndarray.shape = [t.left_child.ndarray.shape[0] + 1]),
      `${at}.left_child.ndarray.bytes`,
      /expected \d+ bytes/,
    ],
    ["more bytes than the shape holds (zlib)", (t) => (t.value.ndarray.shape = [1, 1, 1]), `${at}.value.ndarray.bytes`, /bad zlib data|expected 8 bytes/],
    ["an unknown dtype", (t) => (t.threshold.ndarray.dtype = "float16"), `${at}.threshold.ndarray.dtype`, /binary arrays hold/],
    ["an unknown encoding", (t) => (t.threshold.ndarray.encoding = "base85"), `${at}.threshold.ndarray.encoding`, /expected encoding/],
    ["a negative dimension", (t) => (t.threshold.ndarray.shape = [-1]), `${at}.threshold.ndarray.shape`, /non-negative integers/],
    ["a shape over 2 GiB", (t) => (t.threshold.ndarray.shape = [2 ** 40]), `${at}.threshold.ndarray.shape`, /over 2 GiB/],
    ["bytes that are not a string", (t) => (t.threshold.ndarray.bytes = [1, 2]), `${at}.threshold.ndarray.bytes`, /expected a base64 string/],
    ["an unknown field", (t) => (t.threshold.ndarray.order = "F"), `${at}.threshold.ndarray.order`, /unknown field/],
    [
      "a bool byte other than 0/1",
      (t) => {
        const raw = Buffer.alloc(t.node_count, 0);
        raw[3] = 7;
        t.missing_go_to_left.ndarray = { dtype: "bool", shape: [t.node_count], encoding: "base64", bytes: raw.toString("base64") };
      },
      `${at}.missing_go_to_left.ndarray.bytes`,
      /bool element 3 is 7/,
    ],
  ];
  for (const [what, damage, path, msg] of damaged) {
    it(`refuses ${what}: one line with the file and the JSON path`, () => {
      const d = rf();
      expect(d["format_version"]).toBe(2);
      const t = firstTree(d);
      if (what.startsWith("a bool") && !t.missing_go_to_left) t.missing_go_to_left = {};
      damage(t);
      const e = load(d);
      expect(e.location.path).toBe(path);
      expect(e.message).toMatch(msg);
      expect(e.toLine().startsWith(`${file}: ${path}: `)).toBe(true);
      expect(e.toLine()).not.toMatch(/[\r\n]/);
    });
  }
});

// The real exporter, in each pinned venv that exists: a small forest and a HistGradientBoosting
// model written with lists (format 1), zlib-base64 and base64 (format 2) load to the same IR.
const VENVS = ["sk-new", "sk-old"].filter((v) => existsSync(join(ROOT, ".venv", v, "bin", "python")));
describe.skipIf(VENVS.length === 0)("modelc_export round trip", () => {
  for (const venv of VENVS) {
    it(`${venv}: lists, zlib-base64 and base64 give the same model`, () => {
      const dir = mkdtempSync(join(tmpdir(), "modelc-skbin-"));
      const py = [
        "import sys; sys.path.insert(0, 'python')",
        "import numpy as np, modelc_export",
        "from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingRegressor",
        "r = np.random.default_rng(0); X = r.normal(size=(300, 5)); X[:, 4] = r.integers(0, 6, 300)",
        "y = (X[:, 0] + np.sin(X[:, 1]) > 0).astype(int) + (X[:, 2] > 1)",
        "models = {'rf': RandomForestClassifier(n_estimators=4, random_state=0).fit(X, y),",
        "          'hgb': HistGradientBoostingRegressor(max_iter=5, categorical_features=[4], random_state=0).fit(X, X[:, 0] * 3)}",
        "for name, m in models.items():",
        `    modelc_export.export(m, '${dir}/' + name + '-v1.json', binary_min_size=None)`,
        `    modelc_export.export(m, '${dir}/' + name + '-z.json', binary_min_size=0)`,
        `    modelc_export.export(m, '${dir}/' + name + '-b.json', binary_min_size=0, compress=False)`,
        "print(np.__version__)",
      ].join("\n");
      const r = spawnSync(join(ROOT, ".venv", venv, "bin", "python"), ["-c", py], { cwd: ROOT, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      for (const name of ["rf", "hgb"]) {
        const text = (k: string) => readFileSync(join(dir, `${name}-${k}.json`), "utf8");
        expect((parseTolerantJson(text("v1")) as Json)["format_version"]).toBe(1);
        expect((parseTolerantJson(text("z")) as Json)["format_version"]).toBe(2);
        expect(text("z")).toContain('"encoding":"zlib-base64"');
        expect(text("b")).toContain('"encoding":"base64"');
        expect(text("z")).not.toMatch(/"data":\[\d/);
        const want = loadModel(join(dir, `${name}-v1.json`), { name: "m" });
        expect(loadModel(join(dir, `${name}-z.json`), { name: "m" })).toEqual(want);
        expect(loadModel(join(dir, `${name}-b.json`), { name: "m" })).toEqual(want);
      }
    }, 60_000);
  }
});
