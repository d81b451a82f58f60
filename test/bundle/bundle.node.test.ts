// `modelc bundle` as a user runs it (the built CLI), then the bundle used from Node: every chunk
// reproduces its fixture's outputs exactly, loaded directly and through index.js.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import type { BundleReport } from "../../src/bundle/bundle.ts";
import type { Manifest } from "../../src/bundle/manifest.ts";
import { ROOT, SUBSET, buildPrivateDist, expectParity, fixtureData, modelFolder, runCli } from "./support.ts";

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
    expect(files).toEqual(["index.d.ts", "index.js", "manifest.json", manifest.runtime.chunk, ...manifest.models.map((e) => e.chunk)].sort());
  });

  it("chunks share one runtime chunk and import nothing else", () => {
    const runtime = readFileSync(join(out, manifest.runtime.chunk), "utf8");
    expect(runtime).not.toMatch(/\bimport\b[^(]/);
    let importing = 0;
    for (const e of manifest.models) {
      const code = readFileSync(join(out, e.chunk), "utf8");
      const imports = [...code.matchAll(/\bimport\s*\{[^}]*\}\s*from\s*"([^"]+)"/g)].map((m) => m[1]);
      expect(code.match(/\bimport\b/g)?.length ?? 0, e.name).toBe(imports.length);
      for (const spec of imports) expect(spec).toBe(`./${manifest.runtime.chunk}`);
      if (imports.length) importing++;
      // helpers are not inlined: the runtime's exp/sigmoid code is much bigger than a small chunk
      expect(code.length).toBeLessThan(e.name === "xgb3-deep" ? 1e6 : runtime.length);
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
      if (e.api.predict === "Float64Array") expect(p).toBeInstanceOf(Float64Array);
      else if (e.api.predict === "label") expect(e.classes).toContain(p);
      else expect(typeof p).toBe("number");
      expect(typeof mod.predictRaw(row) === "number" ? "number" : "Float64Array").toBe(e.api.raw);
      expect(mod.predictProba ? mod.predictProba(row).length : 0).toBe(e.api.proba);
    }
  });

  it("rejects an unknown name with the list of known ones", async () => {
    const err = await index.loadModel("churn").catch((e: Error & { code?: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error & { code?: string }).code).toBe("MODELC_UNKNOWN_MODEL");
    expect((err as Error).message).toBe(`modelc: unknown model "churn"; known models: ${SUBSET.map((s) => s.name).sort().join(", ")}`);
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
        `  const p: Float64Array = b.predictProba(row);`,
        `  const m: 1 = b.meta.nOutputs;`,
        `  const r = await loadModel("xgb3-deep");`,
        `  const v: number = r.predict(row);`,
        `  // @ts-expect-error a regressor has no predictProba`,
        `  r.predictProba(row);`,
        `  const mt = await loadModel("xgb3-multi-target-vector-leaf");`,
        `  const vec: Float64Array = mt.predict(row);`,
        `  const odd = await loadModel("xgb3-odd-names");`,
        `  const f4: "温度 🌡" = odd.meta.featureNames[4];`,
        `  // @ts-expect-error unknown model names do not type-check`,
        `  await loadModel("churn");`,
        `  return [names, label, p, m, v, vec, f4];`,
        `}`,
      ].join("\n"),
    );
    writeFileSync(
      join(tmp, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noUncheckedIndexedAccess: true, lib: ["ES2022"], types: [] },
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

    const dup = runCli(cli, ["bundle", join(ROOT, "fixtures", "xgb3-deep", "model.json"), join(ROOT, "fixtures", "xgb3-odd-names", "model.json"), "-o", join(tmp, "dup")]);
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
    for (const s of SUBSET.slice(0, 3)) expect(r.err).toMatch(new RegExp(`^  ${s.name} +[\\d.]+ (B|kB|MB) \\(.* gz\\) from .* (ifelse|table) +\\d+(\\.\\d)? m?s$`, "m"));
    expect(lines.at(-1)).toMatch(/^modelc bundle: 3 models → .*few-out \(3 built, 0 unchanged\), .* in /);
    // no terminal control sequences when stderr is not a terminal
    expect(r.err).not.toMatch(/\x1b|\r/);
  });
});
