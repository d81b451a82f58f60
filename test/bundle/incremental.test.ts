// Incremental rebuilds (from the TypeScript sources, so the workers run through tsx): only a changed
// model's chunk is written, removed models lose their chunk, a failed build leaves the bundle as it
// was, and a running loader picks up rebuilt chunks.

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle, type BundleReport } from "../../src/bundle/bundle.ts";
import { LOCK_FILE } from "../../src/bundle/bundleLock.ts";
import type { Manifest } from "../../src/bundle/manifest.ts";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import { CompileError } from "../../src/errors.ts";
import { FIXTURES, expectParity } from "./support.ts";

type Index = { models: readonly string[]; loadModel(name: string, o?: { reload?: boolean }): Promise<GeneratedModule> };

let tmp = "";
let src = "";
let out = "";
const fx = (f: string) => join(FIXTURES, f, "model.json");

function put(name: string, fixture: string) {
  copyFileSync(fx(fixture), join(src, `${name}.json`));
}

/** mtime and content hash of every file in the bundle folder */
function snapshot(): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of readdirSync(out).sort())
    m.set(
      f,
      `${statSync(join(out, f)).mtimeMs} ${createHash("sha256")
        .update(readFileSync(join(out, f)))
        .digest("hex")}`,
    );
  return m;
}

const manifest = (): Manifest => JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
const chunkOf = (name: string) => manifest().models.find((m) => m.name === name)?.chunk;
const statuses = (r: BundleReport) => Object.fromEntries(r.models.map((m) => [m.name, m.status]));
const build = (extra: Partial<Parameters<typeof bundle>[1]> = {}) => bundle([src], { out, ...extra });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-incr-"));
  src = join(tmp, "models");
  out = join(tmp, "out");
  mkdirSync(src);
  put("a", "xgb3-binary-logistic");
  put("b", "xgb3-multi-softprob");
  put("c", "xgb3-odd-names");
  put("d", "xgb3-count-poisson");
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("incremental bundle builds", () => {
  let index: Index;

  it("a second build with nothing changed writes nothing", async () => {
    const r1 = await build();
    expect(Object.values(statuses(r1))).toEqual(["built", "built", "built", "built"]);
    const before = snapshot();
    index = (await import(pathToFileURL(join(out, "index.js")).href)) as Index;
    expectParity(await index.loadModel("a"), "xgb3-binary-logistic", "model.json", "a");

    const r2 = await build();
    expect(Object.values(statuses(r2))).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(r2.written).toEqual([]);
    expect(snapshot()).toEqual(before);
    // a touched file is hashed again; same content, so only its new mtime is recorded
    utimesSync(join(src, "b.json"), new Date(), new Date(Date.now() + 60_000));
    const r3 = await build();
    expect(r3.written).toEqual(["manifest.json"]);
    expect(Object.values(statuses(r3))).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
    const after = snapshot();
    for (const [f, v] of before) if (f !== "manifest.json") expect(after.get(f), f).toBe(v);
    expect((await build()).written).toEqual([]);
  });

  it("changing one model rewrites only its chunk, the index and the manifest", async () => {
    const before = snapshot();
    const oldA = chunkOf("a")!;
    const modA = await index.loadModel("a");
    await new Promise((r) => setTimeout(r, 20));
    put("a", "xgb1-binary-logistic");
    const r = await build();
    expect(statuses(r)).toEqual({ a: "built", b: "unchanged", c: "unchanged", d: "unchanged" });
    const newA = chunkOf("a")!;
    expect(newA).not.toBe(oldA);
    // index.d.ts too: the new model's meta (version, features) differs
    expect(r.written.sort()).toEqual([newA, "index.d.ts", "index.js", "manifest.json"].sort());
    const after = snapshot();
    expect(after.has(oldA)).toBe(false);
    for (const [f, v] of before) if (!["index.d.ts", "index.js", "manifest.json", oldA].includes(f)) expect(after.get(f), f).toBe(v);

    // the running loader keeps the model it has until asked to reload
    expect(await index.loadModel("a")).toBe(modA);
    const reloaded = await index.loadModel("a", { reload: true });
    expect(reloaded).not.toBe(modA);
    expectParity(reloaded, "xgb1-binary-logistic", "model.json", "a (reloaded)");
    expect(await index.loadModel("a")).toBe(reloaded);
  });

  it("a model first loaded after its chunk was replaced comes from the new chunk", async () => {
    put("d", "xgb3-reg-gamma");
    const r = await build();
    expect(statuses(r).d).toBe("built");
    // this loader still has the old index; the old chunk is gone, so it looks at the new index
    expectParity(await index.loadModel("d"), "xgb3-reg-gamma", "model.json", "d (after rebuild)");
  });

  it("removing a model removes its chunk; adding one builds only it", async () => {
    const oldC = chunkOf("c")!;
    rmSync(join(src, "c.json"));
    const r = await build();
    expect(r.removed).toEqual(["c"]);
    expect(statuses(r)).toEqual({ a: "unchanged", b: "unchanged", d: "unchanged" });
    expect(readdirSync(out)).not.toContain(oldC);
    expect(manifest().models.map((m) => m.name)).toEqual(["a", "b", "d"]);
    await expect(index.loadModel("c", { reload: true })).rejects.toThrow(/unknown model "c"; known models: a, b, d$/);
    expect([...index.models]).toEqual(["a", "b", "d"]);

    put("e", "xgb3-cat-partition");
    const r2 = await build();
    expect(statuses(r2)).toEqual({ a: "unchanged", b: "unchanged", d: "unchanged", e: "built" });
    expectParity(await index.loadModel("e", { reload: true }), "xgb3-cat-partition", "model.json", "e");
  });

  it("--force and a different style rebuild everything; stale chunks are swept", async () => {
    const before = snapshot();
    const r = await build({ force: true });
    expect(Object.values(statuses(r)).every((s) => s === "built")).toBe(true);
    // same code, same content-hashed files: nothing needed rewriting
    expect(snapshot()).toEqual(before);

    const old = manifest().models.map((m) => m.chunk);
    const t = await build({ style: "table" });
    expect(Object.values(statuses(t)).every((s) => s === "built")).toBe(true);
    const files = readdirSync(out);
    for (const c of old) expect(files).not.toContain(c);
    expect(manifest().models.every((m) => m.style === "table")).toBe(true);
    expectParity(await index.loadModel("b", { reload: true }), "xgb3-multi-softprob", "model.json", "b (table)");
  });

  it("a failed build leaves the previous bundle untouched", async () => {
    const before = snapshot();
    put("a", "xgb3-survival-cox");
    writeFileSync(join(src, "zz-broken.json"), `{"learner": {}, "version": [3, 0, 0]}`);
    const err = await build({ style: "table" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).toLine()).toMatch(/zz-broken\.json: /);
    expect(snapshot()).toEqual(before);
    rmSync(join(src, "zz-broken.json"));
    put("a", "xgb1-binary-logistic");
  });

  it("one build at a time per folder; a stale lock is taken over", async () => {
    writeFileSync(join(out, LOCK_FILE), String(process.pid));
    await expect(build({ style: "table" })).rejects.toThrow(/another modelc bundle \(pid \d+\) is building this folder/);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(out, LOCK_FILE), String(dead));
    const r = await build({ style: "table" });
    // a.json was copied back (same content, new mtime): nothing to compile, the manifest records the mtime
    expect(Object.values(statuses(r)).every((s) => s === "unchanged")).toBe(true);
    expect(r.written).toEqual(["manifest.json"]);
    expect(readdirSync(out)).not.toContain(LOCK_FILE);
  });

  it("refuses output folders that are not a modelc bundle", async () => {
    const foreign = join(tmp, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "app.js"), "");
    await expect(bundle([src], { out: foreign })).rejects.toThrow(/not empty and holds no modelc bundle/);
    writeFileSync(join(foreign, "manifest.json"), "{}");
    await expect(bundle([src], { out: foreign })).rejects.toThrow(/manifest\.json here was not written by modelc/);
    expect(readdirSync(foreign).sort()).toEqual(["app.js", "manifest.json"]);
    await expect(bundle([src], { out: join(src, "a.json") })).rejects.toThrow(/the output must be a folder/);
    // an output folder inside an input folder is not searched for models
    const inside = await bundle([src], { out: join(src, "bundle") });
    expect(inside.models.map((m) => m.name)).toEqual(["a", "b", "d", "e"]);
    expect((await bundle([src], { out: join(src, "bundle") })).written).toEqual([]);
    rmSync(join(src, "bundle"), { recursive: true });
  });

  it("a first build that was killed (chunks, runtime, index files and a stale lock left) is cleaned and rebuilt", async () => {
    const killed = join(tmp, "killed");
    mkdirSync(killed);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(killed, LOCK_FILE), String(dead));
    writeFileSync(join(killed, "runtime.0123456789abcdef.js"), "// partial");
    writeFileSync(join(killed, "a.fedcba9876543210.js"), "// partial");
    writeFileSync(join(killed, "index.js.tmp-123-4"), "");
    writeFileSync(join(killed, "package.json"), `${JSON.stringify({ type: "module", sideEffects: false }, null, 2)}\n`);
    const r = await bundle([src], { out: killed, style: "table" });
    expect(r.models.length).toBeGreaterThan(0);
    const files = readdirSync(killed);
    expect(files).not.toContain("runtime.0123456789abcdef.js");
    expect(files).not.toContain("a.fedcba9876543210.js");
    expect(files).not.toContain(LOCK_FILE);
    expect(files).toContain("manifest.json");
    // anything else in the folder is not ours: refused as before
    const mixed = join(tmp, "mixed");
    mkdirSync(mixed);
    writeFileSync(join(mixed, "runtime.0123456789abcdef.js"), "");
    writeFileSync(join(mixed, "index.js"), "export {};");
    await expect(bundle([src], { out: mixed })).rejects.toThrow(/not empty and holds no modelc bundle/);
  });

  it("a bundle worker that dies fails its model with one line naming the file", async () => {
    const { ChunkPool } = await import("../../src/bundle/chunkPool.ts");
    const script = join(tmp, "dying-worker.mjs");
    writeFileSync(script, 'import { parentPort } from "node:worker_threads"; parentPort.on("message", () => process.exit(7));\n');
    const pool = new ChunkPool(1, pathToFileURL(script));
    const task = { file: join(src, "a.json") } as Parameters<typeof pool.compile>[0];
    const err = await pool.compile(task).catch((e: unknown) => e);
    await pool.close();
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).toLine()).toMatch(/a\.json: the bundle worker compiling this model stopped \(exit code 7\)/);
  });
});
