// `modelc compile -o model.wasm` (the .wasm and its loader) and `--target as` (AssemblyScript source built by the user
// with asc), end to end through the built CLI: the loader's API and errors are those of the JS module, its outputs
// equal the JS module's bit for bit, the .wasm imports nothing and exports its memory and batch entry points.

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { compileToModule, type GeneratedModule } from "../../src/compiledModule.ts";
import { parseRowsCsv } from "../../src/io/readRows.ts";
import { loadModel } from "../../src/loadModel.ts";
import { same } from "./support.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const modelc = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "modelc.js"), ...args], { cwd: ROOT, encoding: "utf8" });

interface Loader extends GeneratedModule {
  instantiate(source?: unknown): Promise<GeneratedModule>;
}

/** userBuild: also check --target as, built with asc by the user (a few seconds each) */
const CASES: { fixture: string; file: string; args: string[]; userBuild?: boolean }[] = [
  { fixture: "xgb3-multi-softprob", file: "model.json", args: ["--style", "table"], userBuild: true },
  { fixture: "xgb3-binary-logistic", file: "model.json", args: ["--style", "ifelse"], userBuild: true },
  { fixture: "lgb4-multiclass", file: "model.txt", args: ["--classes", "a,b,c,d"] },
  { fixture: "sk19-pipe-scaler-hgb", file: "model.json", args: [] },
];

let tmp: string;

beforeAll(() => {
  const b = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  expect(b.status, b.stderr).toBe(0);
  tmp = mkdtempSync(join(tmpdir(), "modelc-wasm-cli-"));
});

function rowsOf(fixture: string): { flat: Float64Array; rows: number[][] } {
  const p = parseRowsCsv(readFileSync(join(ROOT, "fixtures", fixture, "rows.csv"), "utf8"), "rows.csv");
  return { flat: p.rows, rows: Array.from({ length: p.nRows }, (_, r) => Array.from(p.rows.subarray(r * p.nCols, (r + 1) * p.nCols))) };
}

/** Every output of a equals b's, single-row and batch. */
function sameOutputs(a: GeneratedModule, b: GeneratedModule, flat: Float64Array, rows: number[][]): void {
  const n = rows.length;
  expect(same(a.predictRawBatch(flat, n), b.predictRawBatch(flat, n))).toBe(true);
  expect(same(a.predictBatch(flat, n), b.predictBatch(flat, n))).toBe(true);
  expect(a.predictProba === undefined).toBe(b.predictProba === undefined);
  if (b.predictProbaBatch) expect(same(a.predictProbaBatch!(flat, n), b.predictProbaBatch(flat, n))).toBe(true);
  for (const row of rows.slice(0, 20)) {
    expect(same(a.predict(row), b.predict(row))).toBe(true);
    expect(same(a.predictRaw(row), b.predictRaw(row))).toBe(true);
    if (b.predictProba) expect(same(a.predictProba!(row), b.predictProba(row))).toBe(true);
    expect(a.predictProbaInto === undefined).toBe(b.predictProbaInto === undefined);
    if (b.predictProbaInto) {
      const k = b.predictProba!(row).length;
      expect(same(a.predictProbaInto!(row, new Float64Array(k + 1), 1), b.predictProbaInto(row, new Float64Array(k + 1), 1))).toBe(true);
    }
  }
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return "no error";
}

describe("modelc compile -o model.wasm", () => {
  for (const c of CASES) {
    it(`${c.fixture} ${c.args.join(" ")}`, async () => {
      const model = join(ROOT, "fixtures", c.fixture, c.file);
      const base = join(tmp, c.fixture);
      const r = modelc("compile", model, "-o", `${base}.wasm`, ...c.args);
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(`${base}.js`)).toBe(true);
      const wasm = readFileSync(`${base}.wasm`);
      const mod = new WebAssembly.Module(wasm);
      expect(WebAssembly.Module.imports(mod)).toEqual([]);
      const exported = WebAssembly.Module.exports(mod).map((e) => e.name);
      expect(exported).toEqual(expect.arrayContaining(["memory", "reserve", "predictBatch", "predictRawBatch"]));

      const loader = (await import(pathToFileURL(`${base}.js`).href)) as Loader;
      const ir = loadModel(model, { classes: c.args.includes("--classes") ? c.args[c.args.indexOf("--classes") + 1]!.split(",") : undefined });
      const js = await compileToModule(ir, c.args.includes("ifelse") ? "ifelse" : "table");
      expect(JSON.parse(JSON.stringify(loader.meta))).toEqual(JSON.parse(JSON.stringify(js.meta)));
      const { flat, rows } = rowsOf(c.fixture);
      sameOutputs(loader, js, flat, rows);
      sameOutputs(
        loader,
        js,
        Float32Array.from(flat) as unknown as Float64Array,
        rows.map((r) => r.map(Math.fround)),
      );

      // the same errors as the JS module
      const nf = ir.nFeatures;
      const bad: [string, () => unknown, () => unknown][] = [
        ["short row", () => loader.predict([1]), () => js.predict([1])],
        ["not an array", () => loader.predict(null as unknown as number[]), () => js.predict(null as unknown as number[])],
        [
          "string feature",
          () => loader.predictRaw([...Array(nf - 1).fill(0), "x"] as unknown as number[]),
          () => js.predictRaw([...Array(nf - 1).fill(0), "x"] as unknown as number[]),
        ],
        ["batch length", () => loader.predictBatch(new Float64Array(nf + 1), 1), () => js.predictBatch(new Float64Array(nf + 1), 1)],
        ["batch type", () => loader.predictRawBatch([1, 2] as unknown as Float64Array, 1), () => js.predictRawBatch([1, 2] as unknown as Float64Array, 1)],
        ...(js.predictProbaInto
          ? ([
              [
                "into: out too short",
                () => loader.predictProbaInto!(rows[0]!, new Float64Array(1), 0),
                () => js.predictProbaInto!(rows[0]!, new Float64Array(1), 0),
              ],
              [
                "into: not a Float64Array",
                () => loader.predictProbaInto!(rows[0]!, [0, 0, 0] as unknown as Float64Array),
                () => js.predictProbaInto!(rows[0]!, [0, 0, 0] as unknown as Float64Array),
              ],
            ] as [string, () => unknown, () => unknown][])
          : []),
      ];
      for (const [what, a, b] of bad) expect(errorOf(a), what).toBe(errorOf(b));
      expect(errorOf(() => loader.predict(Array(nf).fill(null)))).toBe("no error"); // null is missing
      expect(loader.predictBatch(new Float64Array(0), 0).length).toBe(0);

      // a batch larger than the initial memory: memory grows, results stay equal
      const big = new Float64Array(20000 * nf);
      for (let i = 0; i < big.length; i++) big[i] = flat[i % flat.length]!;
      expect(same(loader.predictRawBatch(big, 20000), js.predictRawBatch(big, 20000))).toBe(true);
      sameOutputs(loader, js, flat, rows); // and the single-row views after growth

      // a loader whose .wasm cannot be loaded still imports: its functions say why, instantiate(bytes) works
      mkdirSync(join(tmp, "orphan"), { recursive: true });
      copyFileSync(`${base}.js`, join(tmp, "orphan", `${c.fixture}.js`));
      const orphan = (await import(pathToFileURL(join(tmp, "orphan", `${c.fixture}.js`)).href)) as Loader;
      expect(errorOf(() => orphan.predict(rows[0]!))).toMatch(/could not be loaded .*instantiate/);
      sameOutputs(await orphan.instantiate(wasm), js, flat, rows);

      // --target as: the AssemblyScript source, built with the asc command its header gives, has the same ABI
      if (!c.userBuild) return;
      const as = modelc("compile", model, "--target", "as", "-o", `${base}.as.ts`, ...c.args);
      expect(as.status, as.stderr).toBe(0);
      const src = readFileSync(`${base}.as.ts`, "utf8");
      const cmd = /^\/\/ Build: npx asc model\.ts (.*) -o model\.wasm$/m.exec(src)![1]!.split(" ");
      const asc = spawnSync(
        process.execPath,
        [join(ROOT, "node_modules", "assemblyscript", "bin", "asc.js"), `${base}.as.ts`, ...cmd, "-o", `${base}.user.wasm`],
        {
          cwd: ROOT,
          encoding: "utf8",
        },
      );
      expect(asc.status, asc.stderr).toBe(0);
      const user = await loader.instantiate(readFileSync(`${base}.user.wasm`));
      sameOutputs(user, js, flat, rows);
    });
  }

  it("refuses an unknown output kind and names the kinds", () => {
    const r = modelc("compile", join(ROOT, "fixtures", "xgb3-binary-logistic", "model.json"), "-o", join(tmp, "x.bin"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.wasm/);
  });
});
