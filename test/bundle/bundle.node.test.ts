// `modelc bundle` as a user runs it (the built CLI), then the bundle used from Node: every chunk
// reproduces its fixture's outputs exactly, loaded directly and through index.js.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import type { BundleReport } from "../../src/bundle/bundle.ts";
import type { Manifest } from "../../src/bundle/manifest.ts";
import { ROOT, SUBSET, WASM_SUBSET, buildPrivateDist, expectParity, fixtureData, modelFolder, runCli } from "./support.ts";
import { sameOutput } from "../support/sameOutput.ts";

let tmp = "";
let out = "";
let cli = "";
let report: BundleReport;
let manifest: Manifest;
type Index = { models: readonly string[]; loadModel(name: string, o?: { reload?: boolean }): Promise<GeneratedModule> };
let index: Index;

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  cli = await buildPrivateDist("bundle-node");
  tmp = mkdtempSync(join(tmpdir(), "modelc-bundle-"));
  const models = modelFolder(join(tmp, "models"));
  out = join(tmp, "out");
  const r = runCli(cli, ["bundle", models, "-o", out, "--json"]);
  expect(r.code, r.err).toBe(0);
  expect(r.err).toBe("");
  report = JSON.parse(r.out);
  manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  index = (await import(pathToFileURL(join(out, "index.js")).href)) as Index;
});

afterAll(() => {
  for (const d of [tmp, cli && dirname(cli)]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("modelc bundle (CLI)", () => {
  it("reports every model built, with sizes", () => {
    expect(report.models.map((m) => m.name)).toEqual(SUBSET.map((s) => s.name).sort());
    expect(report.models.every((m) => m.status === "built" && m.bytes > 0 && m.gzipBytes > 0 && m.gzipBytes < m.bytes)).toBe(true);
    expect(report.removed).toEqual([]);
    expect(report.jobs).toBeGreaterThanOrEqual(1);
    // per-thread CPU time (Linux): each model's worker thread, and the main thread
    if (process.platform === "linux") {
      expect(report.models.every((m) => typeof m.cpuMs === "number" && m.cpuMs >= 0 && Number.isInteger(m.threadId) && m.threadId! > 0)).toBe(true);
      expect(new Set(report.models.map((m) => m.threadId)).size).toBeLessThanOrEqual(report.jobs);
      expect(report.mainCpuMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("writes a manifest with sources, hashes, sizes, task and features", () => {
    expect(manifest.generator).toBe("modelc");
    expect(manifest.modelc).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    for (const e of manifest.models) {
      const s = SUBSET.find((x) => x.name === e.name)!;
      const src = readFileSync(join(out, e.source));
      expect(src.equals(readFileSync(join(ROOT, "fixtures", s.fixture, s.file)))).toBe(true);
      expect(e.sourceHash).toBe(sha256(src));
      expect(e.sourceBytes).toBe(src.length);
      const chunk = readFileSync(join(out, e.chunk));
      expect(e.chunkHash).toBe(sha256(chunk));
      expect(e.chunk).toBe(`${e.name}.${e.chunkHash.slice(0, 16)}.js`);
      expect(e.bytes).toBe(chunk.length);
      expect(e.meta.name).toBe(e.name);
      expect(e.task).toBe(e.meta.task);
      expect(e.nFeatures).toBe(fixtureData(s.fixture, s.file).rows.nCols);
    }
    expect(manifest.models.find((e) => e.name === "xgb3-odd-names")!.features).toContain("温度 🌡");
    const files = readdirSync(out).sort();
    expect(files).toEqual(["index.d.ts", "index.js", "manifest.json", "package.json", manifest.runtime!.chunk, ...manifest.models.map((e) => e.chunk)].sort());
  });

  it("chunks share one runtime chunk and import nothing else", () => {
    const runtime = readFileSync(join(out, manifest.runtime!.chunk), "utf8");
    expect(runtime).not.toMatch(/\bimport\b[^(]/);
    let importing = 0;
    for (const e of manifest.models) {
      const code = readFileSync(join(out, e.chunk), "utf8");
      const imports = [...code.matchAll(/\bimport\s*\{[^}]*\}\s*from\s*"([^"]+)"/g)].map((m) => m[1]);
      expect(code.match(/\bimport\b/g)?.length ?? 0, e.name).toBe(imports.length);
      for (const spec of imports) expect(spec).toBe(`./${manifest.runtime!.chunk}`);
      if (imports.length) importing++;
      // helpers are not inlined: the runtime's exp/sigmoid code is much bigger than a small chunk (the 40 trees of
      // the IsolationForest are not small: its helpers, skIforest and exp, come from the runtime chunk)
      expect(code.length).toBeLessThan(e.name === "xgb3-deep" || e.name === "sk19-isolation-forest" ? 1e6 : runtime.length);
      if (e.name === "sk19-isolation-forest") {
        expect(code).toMatch(/\bimport\s*\{[^}]*\bskIforest\b[^}]*\}/);
        expect(code).not.toMatch(/function (skIforest|exp)\b/);
      }
    }
    expect(importing).toBeGreaterThan(manifest.models.length / 2);
  });

  it("each chunk, imported directly, reproduces its fixture's outputs exactly", async () => {
    let compared = 0;
    for (const s of SUBSET) {
      const e = manifest.models.find((m) => m.name === s.name)!;
      const mod = (await import(pathToFileURL(join(out, e.chunk)).href)) as GeneratedModule;
      compared += expectParity(mod, s.fixture, s.file, `${s.name} (chunk)`);
    }
    expect(compared).toBeGreaterThan(SUBSET.length * 100);
  });

  it("index.js loads each model on first use, caches it, and it is the chunk's module", async () => {
    expect([...index.models]).toEqual(manifest.models.map((m) => m.name));
    for (const s of SUBSET) {
      const mod = await index.loadModel(s.name);
      expect(await index.loadModel(s.name)).toBe(mod);
      const e = manifest.models.find((m) => m.name === s.name)!;
      expect(mod).toBe(await import(pathToFileURL(join(out, e.chunk)).href));
      expectParity(mod, s.fixture, s.file, `${s.name} (loadModel)`);
      // the manifest's API shape is what the module does
      const row = Array.from(fixtureData(s.fixture, s.file).rows.rows.subarray(0, e.nFeatures));
      const p = mod.predict(row);
      if (e.api.predict === "number[]") expect(Array.isArray(p)).toBe(true);
      else if (e.api.predict === "label") expect(e.classes).toContain(p);
      else expect(typeof p).toBe("number");
      const raw = mod.predictRaw(row);
      expect(typeof raw === "number" ? "number" : Array.isArray(raw) ? "number[]" : "other").toBe(e.api.raw);
      if (mod.predictProba) expect(Array.isArray(mod.predictProba(row))).toBe(true);
      expect(mod.predictProba ? mod.predictProba(row).length : 0).toBe(e.api.proba);
      expect(typeof mod.scoreSamples === "function" ? true : undefined).toBe(e.api.scoreSamples);
      expect(typeof mod.scoreSamplesBatch === "function" ? true : undefined).toBe(e.api.scoreSamples);
    }
  });

  it("rejects an unknown name with the list of known ones", async () => {
    const err = await index.loadModel("churn").catch((e: Error & { code?: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error & { code?: string }).code).toBe("MODELC_UNKNOWN_MODEL");
    expect((err as Error).message).toBe(
      `modelc: unknown model "churn"; known models: ${SUBSET.map((s) => s.name)
        .sort()
        .join(", ")}`,
    );
    await expect(index.loadModel("__proto__")).rejects.toThrow(/unknown model/);
    await expect(index.loadModel("toString")).rejects.toThrow(/unknown model/);
  });

  it("index.d.ts types each model exactly (strict tsc)", () => {
    const dir = join(tmp, "types");
    writeFileSync(
      join(tmp, "use.ts"),
      [
        `import { loadModel, models, type ModelName } from "./out/index.js";`,
        `const names: readonly ModelName[] = models;`,
        `export async function f(row: number[]) {`,
        `  const b = await loadModel("xgb3-binary-logistic");`,
        `  const label: 0 | 1 = b.predict(row);`,
        `  const p: number[] = b.predictProba(row);`,
        `  const m: 1 = b.meta.nOutputs;`,
        `  const r = await loadModel("xgb3-deep");`,
        `  const v: number = r.predict(row);`,
        `  // @ts-expect-error a regressor has no predictProba`,
        `  r.predictProba(row);`,
        `  const mt = await loadModel("xgb3-multi-target-vector-leaf");`,
        `  const vec: number[] = mt.predict(row);`,
        `  const iso = await loadModel("sk19-isolation-forest");`,
        `  const score: number = iso.scoreSamples(row);`,
        `  const scores: Float64Array = iso.scoreSamplesBatch(new Float64Array(5), 1);`,
        `  const dec: number = (await loadModel("sk19-one-class-svm")).predictRaw(row);`,
        `  // @ts-expect-error only outlier detectors have scoreSamples`,
        `  r.scoreSamples(row);`,
        `  const odd = await loadModel("xgb3-odd-names");`,
        `  const f4: "温度 🌡" = odd.meta.featureNames[4];`,
        `  // @ts-expect-error unknown model names do not type-check`,
        `  await loadModel("churn");`,
        `  return [names, label, p, m, v, vec, f4, score, scores, dec];`,
        `}`,
      ].join("\n"),
    );
    writeFileSync(
      join(tmp, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          noUncheckedIndexedAccess: true,
          lib: ["ES2022"],
          types: [],
        },
        files: ["use.ts"],
      }),
    );
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(tmp, "tsconfig.json")], { encoding: "utf8" });
    expect(r.stdout + r.stderr, dir).toBe("");
    expect(r.status).toBe(0);
    // strings from model files reach index.d.ts only through the safe printers
    const dts = readFileSync(join(out, "index.d.ts"), "utf8");
    expect(dts).toContain(String.raw`"\u6e29\u5ea6 \ud83c\udf21"`);
    expect(dts).toContain(String.raw`"say \"hi\""`);
  });

  it("errors are one line naming the file, exit 2", () => {
    const bad = join(tmp, "bad");
    modelFolder(bad, SUBSET.slice(0, 2));
    writeFileSync(join(bad, "broken.json"), `{"learner": {"attributes": {}}, "version": [3, 0, 0]}`);
    const r = runCli(cli, ["bundle", bad, "-o", join(tmp, "bad-out")]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^modelc: .*broken\.json: /);
    expect(r.err).not.toMatch(/\n\s+at /);
    // nothing is left behind but the empty folder
    expect(existsSync(join(tmp, "bad-out")) ? readdirSync(join(tmp, "bad-out")) : []).toEqual([]);

    const dup = runCli(cli, [
      "bundle",
      join(ROOT, "fixtures", "xgb3-deep", "model.json"),
      join(ROOT, "fixtures", "xgb3-odd-names", "model.json"),
      "-o",
      join(tmp, "dup"),
    ]);
    expect(dup.code).toBe(2);
    expect(dup.err.trim()).toMatch(/^modelc: .*two model files get the name "model": .* \(rename one of them/);
    expect(dup.err.trim().split("\n")).toHaveLength(1);

    const jobs = runCli(cli, ["bundle", bad, "-o", join(tmp, "j"), "--jobs", "0"]);
    expect(jobs.code).toBe(2);
    expect(jobs.err).toMatch(/--jobs expects a whole number/);
  });

  it("prints one line per built model and a summary without --json", () => {
    const r = runCli(cli, ["bundle", modelFolder(join(tmp, "few"), SUBSET.slice(0, 3)), "-o", join(tmp, "few-out")]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^modelc bundle: 3 models, 3 to build, 0 unchanged on \d workers?$/);
    for (const s of SUBSET.slice(0, 3))
      expect(r.err).toMatch(new RegExp(`^  ${s.name} +[\\d.]+ (B|kB|MB) \\(.* gz\\) from .* (ifelse|table) +\\d+(\\.\\d)? m?s$`, "m"));
    expect(lines.at(-1)).toMatch(/^modelc bundle: 3 models → .*few-out \(3 built, 0 unchanged\), .* in /);
    // no terminal control sequences when stderr is not a terminal
    expect(r.err).not.toMatch(/\x1b|\r/);
  });
});

// `--target wasm`: per model a content-hashed .wasm and a loader chunk with the JavaScript chunk's exports.
describe("modelc bundle --target wasm (CLI)", () => {
  let wout = "";
  let jout = "";
  let wsrc = "";
  let wreport: BundleReport;
  let wman: Manifest;
  let windex: Index;
  const files = (dir: string) => readdirSync(dir).sort();
  const wasmBuild = (extra: string[] = []) => {
    const r = runCli(cli, ["bundle", wsrc, "-o", wout, "--target", "wasm", "--json", ...extra]);
    expect(r.code, r.err).toBe(0);
    wman = JSON.parse(readFileSync(join(wout, "manifest.json"), "utf8"));
    return JSON.parse(r.out) as BundleReport;
  };

  beforeAll(async () => {
    wsrc = modelFolder(join(tmp, "wasm-models"), WASM_SUBSET);
    wout = join(tmp, "wasm-out");
    jout = join(tmp, "wasm-js-out");
    wreport = wasmBuild();
    // the same models as JavaScript chunks, to compare APIs and types with
    const j = runCli(cli, ["bundle", wsrc, "-o", jout, "--json"]);
    expect(j.code, j.err).toBe(0);
    windex = (await import(pathToFileURL(join(wout, "index.js")).href)) as Index;
  }, 240_000);

  it("writes per model a content-hashed .wasm and chunk, listed in the manifest with sizes", () => {
    expect(wreport.target).toBe("wasm");
    expect(wreport.runtime).toBeNull();
    expect(wman.target).toBe("wasm");
    expect(wman.runtime).toBeNull();
    expect(wman.models.map((e) => e.name)).toEqual(WASM_SUBSET.map((s) => s.name).sort());
    for (const e of wman.models) {
      expect(e.wasm, e.name).not.toBeNull();
      const w = e.wasm!;
      const bytes = readFileSync(join(wout, w.file));
      expect(w.hash).toBe(sha256(bytes));
      expect(w.file).toBe(`${e.name}.${w.hash.slice(0, 16)}.wasm`);
      expect(w.bytes).toBe(bytes.length);
      expect(w.gzipBytes).toBe(gzipSync(bytes).length);
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([]);
      const chunk = readFileSync(join(wout, e.chunk), "utf8");
      expect(e.chunkHash).toBe(sha256(chunk));
      expect(e.chunk).toBe(`${e.name}.${e.chunkHash.slice(0, 16)}.js`);
      expect(e.bytes).toBe(Buffer.byteLength(chunk));
      expect(e.gzipBytes).toBe(gzipSync(chunk).length);
      // the loader imports no other module and finds its own .wasm relative to its URL
      expect(chunk).not.toMatch(/\bimport\s*[{*"']/);
      expect(chunk).toContain(`new URL("./${w.file}",import.meta.url)`);
      const r = wreport.models.find((m) => m.name === e.name)!;
      expect(r).toMatchObject({
        status: "built",
        chunk: e.chunk,
        bytes: e.bytes,
        gzipBytes: e.gzipBytes,
        wasm: { file: w.file, bytes: w.bytes, gzipBytes: w.gzipBytes },
      });
    }
    expect(files(wout)).toEqual(["index.d.ts", "index.js", "manifest.json", "package.json", ...wman.models.flatMap((e) => [e.chunk, e.wasm!.file])].sort());
  });

  it("each model, through loadModel, reproduces its fixture's outputs exactly", async () => {
    let compared = 0;
    for (const s of WASM_SUBSET) compared += expectParity(await windex.loadModel(s.name), s.fixture, s.file, `${s.name} (wasm loadModel)`);
    expect(compared).toBeGreaterThan(WASM_SUBSET.length * 100);
  });

  it("a wasm chunk's module has the JavaScript chunk's exports, meta and outputs (single rows and batches, bit for bit)", async () => {
    const jman = JSON.parse(readFileSync(join(jout, "manifest.json"), "utf8")) as Manifest;
    const same = sameOutput;
    for (const s of WASM_SUBSET) {
      const w = (await windex.loadModel(s.name)) as unknown as Record<string, unknown> & GeneratedModule;
      const j = (await import(pathToFileURL(join(jout, jman.models.find((e) => e.name === s.name)!.chunk)).href)) as Record<string, unknown> & GeneratedModule;
      expect(Object.keys(w).sort(), s.name).toEqual(Object.keys(j).sort());
      expect(w.meta).toEqual(j.meta);
      const { rows } = fixtureData(s.fixture, s.file);
      const fns = ["predict", "predictRaw", "predictProba", "scoreSamples"] as const;
      for (let r = 0; r < rows.nRows; r++) {
        const row = rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols);
        for (const f of fns)
          if (j[f])
            expect(same((w[f] as (x: ArrayLike<number>) => unknown)(row), (j[f] as (x: ArrayLike<number>) => unknown)(row)), `${s.name} ${f} row ${r}`).toBe(
              true,
            );
      }
      for (const f of ["predictBatch", "predictRawBatch", "predictProbaBatch", "scoreSamplesBatch"] as const) {
        if (!j[f]) continue;
        type Batch = (rows: Float64Array | Float32Array, n: number) => Float64Array;
        expect(same((w[f] as Batch)(rows.rows, rows.nRows), (j[f] as Batch)(rows.rows, rows.nRows)), `${s.name} ${f}`).toBe(true);
        const f32 = Float32Array.from(rows.rows);
        expect(same((w[f] as Batch)(f32, rows.nRows), (j[f] as Batch)(f32, rows.nRows)), `${s.name} ${f} (Float32Array)`).toBe(true);
      }
      expect(() => w.predict([1, 2])).toThrow(/expected a row of \d+ features, got 2/);
    }
    // the same types: index.d.ts depends only on the models, not on the target
    expect(readFileSync(join(wout, "index.d.ts"), "utf8")).toBe(readFileSync(join(jout, "index.d.ts"), "utf8"));
  });

  it("rebuilds incrementally: nothing, then only a changed model's .wasm and chunk; stale files are swept", () => {
    const before = new Map(files(wout).map((f) => [f, statSync(join(wout, f)).mtimeMs]));
    const noop = wasmBuild();
    expect(noop.models.every((m) => m.status === "unchanged")).toBe(true);
    expect(noop.written).toEqual([]);
    for (const [f, t] of before) expect(statSync(join(wout, f)).mtimeMs, f).toBe(t);

    const old = wman.models.find((e) => e.name === "xgb3-odd-names")!;
    copyFileSync(join(ROOT, "fixtures", "xgb3-gblinear-multi", "model.json"), join(wsrc, "xgb3-odd-names.json"));
    const one = wasmBuild();
    expect(one.models.filter((m) => m.status === "built").map((m) => m.name)).toEqual(["xgb3-odd-names"]);
    const now = wman.models.find((e) => e.name === "xgb3-odd-names")!;
    expect(one.written.sort()).toEqual([now.chunk, now.wasm!.file, "index.d.ts", "index.js", "manifest.json"].sort());
    expect(files(wout)).not.toContain(old.chunk);
    expect(files(wout)).not.toContain(old.wasm!.file);

    // a missing .wasm is rebuilt, a removed model loses its chunk and .wasm
    rmSync(join(wout, now.wasm!.file));
    const repaired = wasmBuild();
    expect(repaired.models.filter((m) => m.status === "built").map((m) => m.name)).toEqual(["xgb3-odd-names"]);
    expect(repaired.written.sort()).toEqual([now.chunk, now.wasm!.file].sort());
    expect(existsSync(join(wout, now.wasm!.file))).toBe(true);
    rmSync(join(wsrc, "xgb3-odd-names.json"));
    const removed = wasmBuild();
    expect(removed.removed).toEqual(["xgb3-odd-names"]);
    expect(files(wout)).toEqual(["index.d.ts", "index.js", "manifest.json", "package.json", ...wman.models.flatMap((e) => [e.chunk, e.wasm!.file])].sort());
  }, 120_000);

  it("switching the target rebuilds every chunk and sweeps the other target's files", () => {
    const dir = join(tmp, "switch");
    const src = modelFolder(join(tmp, "switch-models"), WASM_SUBSET.slice(0, 1));
    const js = runCli(cli, ["bundle", src, "-o", dir, "--json"]);
    expect(js.code, js.err).toBe(0);
    const w = runCli(cli, ["bundle", src, "-o", dir, "--json", "--target", "wasm"]);
    expect(w.code, w.err).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(files(dir)).toEqual(["index.d.ts", "index.js", "manifest.json", "package.json", m.models[0]!.chunk, m.models[0]!.wasm!.file].sort());
    const back = runCli(cli, ["bundle", src, "-o", dir, "--json"]);
    expect(back.code, back.err).toBe(0);
    const m2 = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(m2.models[0]!.wasm).toBeNull();
    expect(files(dir)).toEqual(["index.d.ts", "index.js", "manifest.json", "package.json", m2.runtime!.chunk, m2.models[0]!.chunk].sort());
  }, 60_000);

  it("a chunk whose .wasm is missing fails to load with the reason", async () => {
    const dir = join(tmp, "broken-wasm");
    cpSync(wout, dir, { recursive: true });
    const e = wman.models[0]!;
    rmSync(join(dir, e.wasm!.file));
    const idx = (await import(pathToFileURL(join(dir, "index.js")).href)) as Index;
    await expect(idx.loadModel(e.name)).rejects.toThrow(/ENOENT.*\.wasm/);
    // the other models of that bundle still load
    expect((await idx.loadModel(wman.models[1]!.name)).meta.name).toBe(wman.models[1]!.name);
  });
});
